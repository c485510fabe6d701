// The course, in order: the only list of lessons. The grader, the README's lesson
// table, the site and the tests all read it; nothing else repeats it.

/** One program the learner writes for a lesson. */
export interface ProgramSpec {
  /** File name inside the lesson's folder, e.g. "server.ts". */
  readonly file: string;
  readonly role: 'server' | 'client' | 'tool';
  /** Command line, as a learner types it from the repository root. */
  readonly start: string;
  /** What the program reads: environment, arguments, stdin, the network. */
  readonly reads: string;
  /** What it prints and how it ends. */
  readonly prints: string;
}

export interface Lesson {
  /** 1-based position; `lesson-N` on the command line. */
  readonly number: number;
  /** Stable folder name under lessons/, exercises/ and solutions/. */
  readonly slug: string;
  readonly title: string;
  /** One sentence for tables and the site index. */
  readonly summary: string;
  readonly programs: readonly ProgramSpec[];
  /** Modules the programs import (e.g. "framing.ts"), stubbed and solved like the programs. */
  readonly modules?: readonly string[];
  /** Tiered hints for `npm run hint`: a nudge first, the near-answer last. */
  readonly hints: readonly string[];
}

const HOST_PORT = 'HOST (default 127.0.0.1) and PORT (default 65432) from the environment';

export const course: readonly Lesson[] = [
  {
    number: 1,
    slug: '01-echo-server',
    title: 'The blocking echo server',
    summary: 'socket, bind, listen, accept, recv, sendall and close, and what each is in node:net.',
    programs: [
      {
        file: 'server.ts',
        role: 'server',
        start: 'npx tsx exercises/01-echo-server/server.ts',
        reads: `${HOST_PORT}; one TCP client`,
        prints:
          'listens on HOST:PORT, accepts one client and prints "Connected by ADDRESS:PORT"; stops listening as soon as it has that client (a second client that connects while the first is still connected is refused); echoes every byte until the client half-closes, then closes and exits with code 0. A client that resets must not crash it.',
      },
    ],
    hints: [
      'net.createServer() plus server.listen(PORT, HOST) is socket(), bind() and listen() in one. The callback you give createServer runs once per accept().',
      'The per-connection socket is the "conn" of the guide: its "data" events are recv() returning bytes, its "end" event is recv() returning b"". Write back exactly the Buffer you got; never turn it into a string.',
      'In the connection callback: print `Connected by ${socket.remoteAddress}:${socket.remotePort}`, call server.close() so no second client is accepted, echo with socket.on("data", (chunk) => socket.write(chunk)), call socket.end() on "end" (not destroy(), which drops what is still queued), and add socket.on("error", ...) so a reset is logged instead of crashing the process.',
    ],
  },
  {
    number: 2,
    slug: '02-echo-client',
    title: 'The echo client',
    summary: 'connect, and handling connect errors by their code instead of a stack trace.',
    programs: [
      {
        file: 'client.ts',
        role: 'client',
        start: 'npx tsx exercises/02-echo-client/client.ts "Hello, world"',
        reads: `${HOST_PORT}; the message is the first argument, any UTF-8 text (default "Hello, world" only when there is no argument: an explicit "" is an empty message)`,
        prints:
          'sends the message\'s UTF-8 bytes, half-closes, reads until the server closes, prints "Received: " followed by exactly the bytes that came back (decoded as UTF-8 once, whole, whether or not they equal the message) once, and exits 0. An empty message is sent as no bytes and a FIN, and prints "Received: ". If the connection fails it prints one line to stderr naming the error code (ECONNREFUSED) and HOST:PORT, prints no "Received" line, and exits 1.',
      },
    ],
    hints: [
      'net.connect(PORT, HOST) is socket() plus connect(). The reply can arrive in many "data" events: one read is not the whole answer.',
      'Collect every chunk in an array and only print when the server closes the connection ("end"), decoding once after Buffer.concat(chunks): a character can be split between two chunks. socket.end(message) sends the message and then your FIN, so the echo server knows you are done.',
      'Listen for "error" on the socket: err.code is "ECONNREFUSED" when nothing listens. Print one line such as `cannot connect to ${HOST}:${PORT}: ${err.code}` with console.error and set process.exitCode = 1.',
    ],
  },
  {
    number: 3,
    slug: '03-framing',
    title: 'The partial-recv loop and message framing',
    summary: 'A stream has no message boundaries: buffer until a whole frame is there, and send until all is sent.',
    programs: [
      {
        file: 'server.ts',
        role: 'server',
        start: 'npx tsx exercises/03-framing/server.ts',
        reads: `${HOST_PORT}; frames from any number of clients: a 4-byte big-endian unsigned length of at most MAX_FRAME_BYTES (64 MiB = 67,108,864, inclusive), then that many bytes`,
        prints:
          'answers every frame with one frame holding the same bytes in reverse order; ends a connection after its replies once the client ends it; keeps running, and keeps serving the other clients when one resets its connection (even in the middle of a frame). A length prefix above MAX_FRAME_BYTES (text typed into nc: "hell" is 1,751,477,356) is refused as soon as its 4 bytes are read, without waiting for its payload: one line on stderr naming the client, the length and the limit, then that connection only is destroyed; the others and the listener go on.',
      },
      {
        file: 'client.ts',
        role: 'client',
        start: 'printf "hello\\nworld\\n" | npx tsx exercises/03-framing/client.ts',
        reads: `${HOST_PORT}; one message per line on stdin (UTF-8, every byte but the newline: leading and trailing spaces and tabs included; an empty line is an empty message; empty stdin is no message)`,
        prints:
          'sends each line as one frame; prints the payload of each reply frame as one line, in order, decoded as UTF-8 once the whole frame is in (bytes that are not valid UTF-8, as reversed multi-byte characters are, print as the replacement character; the grader\'s server does not always reverse); however long the replies take, ends the connection once stdin has ended and every line has its reply (also when stdin is empty, or when every reply came before stdin ended), then exits 0. If the server ends the connection first, with a reply missing or a frame cut off, prints an error line on stderr and exits non-zero. A reply length above MAX_FRAME_BYTES is an error too, at once: an error line on stderr, the connection and stdin closed, a non-zero exit.',
      },
    ],
    modules: ['framing.ts'],
    hints: [
      'One "data" event is whatever bytes happened to arrive: a piece of a frame, or several frames at once. Keep a buffer per connection and append every chunk to it.',
      'After each append, loop: while the buffer holds at least 4 bytes and at least 4 + length bytes, cut one whole frame off the front and handle it. Keep whatever is left over for the next chunk. Compare each length with MAX_FRAME_BYTES as soon as you read it: above it, the decoder throws a FrameTooLargeError and the server destroys that one socket, with a line on stderr.',
      'Length prefix: const header = Buffer.alloc(4); header.writeUInt32BE(payload.length); socket.write(Buffer.concat([header, payload])). Reading: buffer.readUInt32BE(0), then buffer.subarray(4, 4 + length). write() returning false means "slow down": wait for "drain" before writing more.',
    ],
  },
  {
    number: 4,
    slug: '04-udp',
    title: 'UDP: datagrams, loss and retransmission',
    summary: 'node:dgram: no connection, boundaries kept, nothing promised; sequence numbers, timeouts and retries.',
    programs: [
      {
        file: 'server.ts',
        role: 'server',
        start: 'npx tsx exercises/04-udp/server.ts',
        reads: `${HOST_PORT}; datagrams of 0 to 65507 bytes from any sender`,
        prints:
          'sends every datagram back, unchanged, to the address and port it came from, from the socket bound to HOST:PORT (a udp6 socket when HOST is IPv6), even a datagram identical to one already answered; keeps running. If it cannot bind HOST:PORT it prints one line naming HOST:PORT to stderr and exits non-zero.',
      },
      {
        file: 'client.ts',
        role: 'client',
        start: 'npx tsx exercises/04-udp/client.ts 5',
        reads: `${HOST_PORT}; the number of messages as the first argument (5 when there is none)`,
        prints:
          'sends "msg 1" … "msg N", retransmitting each until its echo arrives (every retry 100 ms to 1 s after the previous try of that message, at most 20 tries); prints each echo that arrived once, in order, one per line (the text received, never the text expected); exits 0. If a message gets no answer after its tries it prints one line to stderr and exits 1.',
      },
    ],
    hints: [
      'A UDP socket has no connection: every "message" event carries rinfo.address and rinfo.port, and the reply must go there, not to a port you assumed.',
      'For the client, send one message, start a timer, and resend when it fires. When a reply arrives, check it is the one you are waiting for: duplicates and late replies to older messages also arrive.',
      'Stop-and-wait: for seq = 1..N, send `msg ${seq}`, setTimeout(resend, 200); on "message", if the text equals `msg ${seq}`, clearTimeout, print it and move on; anything else is ignored. Count tries and give up after 20.',
    ],
  },
  {
    number: 5,
    slug: '05-multiplexing',
    title: 'Many clients at once: select-style multiplexing',
    summary: 'The event loop is the select loop: readiness, per-connection state, and backpressure.',
    programs: [
      {
        file: 'server.ts',
        role: 'server',
        start: 'npx tsx exercises/05-multiplexing/server.ts',
        reads: `${HOST_PORT}; any number of clients at once, each sending lines ending in "\\n"`,
        prints:
          'answers every complete line with "N LINE\\n", N counting the lines of that connection from 1; a line is every byte before "\\n", answered byte for byte (bytes above 0x7F, spaces and tabs at the ends, "\\r", and empty lines included; only "\\n" ends a line); an unfinished line waits in that connection\'s buffer, and one still unfinished when the client ends gets no answer; stops reading from a client whose replies it cannot send yet (pausing that socket only, with one "drain" listener per pause) and reads from it again only on "drain"; ends a connection after its replies once the client ends it; keeps running.',
      },
    ],
    hints: [
      'Every connection needs its own state: a line counter and a buffer for a line that has not ended yet. Keep them in variables inside the connection callback, never in globals shared by all clients.',
      'A client that sends but never reads fills your output. socket.write() returns false when its buffer is full: stop reading from that socket until it has room again.',
      'if (!socket.write(reply) && !socket.isPaused()) { socket.pause(); socket.once("drain", () => socket.resume()); } That is select()\'s "register for write readiness, unregister read" in Node.',
    ],
  },
  {
    number: 6,
    slug: '06-looking-at-sockets',
    title: 'Looking at sockets: connect_ex, ss, netstat and lsof',
    summary: 'Socket states, the tools that show them, and the error codes a connect can end in.',
    programs: [
      {
        file: 'portcheck.ts',
        role: 'tool',
        start: 'npx tsx exercises/06-looking-at-sockets/portcheck.ts 22 65432',
        reads: 'HOST (default 127.0.0.1) from the environment; port numbers as arguments',
        prints:
          'one line per port, in argument order: "PORT open", "PORT closed" (refused), "PORT timeout" (no answer in 2 s) or "PORT error CODE"; every answer comes from a real connect, which the grader sees on the wire (an "open" its server never accepted fails); "closed" only for ECONNREFUSED, any other failure (a reset, an unreachable address: ENETUNREACH) is "PORT error CODE" with err.code; "timeout" comes 2 s after the connect began, not sooner and not much later (the line by 4 s, and the kernel shows the connect given up, its socket destroyed, by 3 s); closes each connection as soon as "connect" fires (never waits for data or an idle timeout: held 1 s is too long); exits by itself right after its last line, timeouts included, 0 if every port is open, 1 if any is not (every result counts, not the last one). A bad argument (anything but digits without a leading zero, from 1 to 65535: so not 0x50, 1e3, 80.0, +80, " 80", 047531 or 65536; or no argument at all) gets one usage line on stderr and exit code 2, before any port is checked.',
      },
    ],
    hints: [
      'connect_ex() returns an error code instead of raising. In Node, net.connect() reports the same code on the socket\'s "error" event: err.code.',
      'Wrap one check in a Promise that resolves to "open" on "connect" and to "closed" when err.code is "ECONNREFUSED". Destroy the socket as soon as you know; never wait for data.',
      'socket.setTimeout(2000, () => { socket.destroy(); resolve("timeout") }): setTimeout only emits the event, destroy() is what stops the connect. Check the ports in order (or all at once with Promise.all, printing in order), then set process.exitCode from the results.',
    ],
  },
  {
    number: 7,
    slug: '07-many-connections',
    title: 'Many connections from one client',
    summary: 'One event loop, many sockets: per-connection state and deadlines, a limit on open connections, results in a stable order.',
    programs: [
      {
        file: 'client.ts',
        role: 'client',
        start: 'npx tsx exercises/07-many-connections/client.ts hello world "one more"',
        reads: `${HOST_PORT}; each argument is one connection's message (UTF-8); at least one`,
        prints:
          'opens one connection to HOST:PORT per argument, at most 4 open at once (the next starts as soon as one ends), sends each its message and half-closes, and reads until the server ends it; a connection succeeds when exactly the message\'s bytes came back, then the server\'s end. Each connection has its own deadline, 2 s from its connect. Once all have ended it prints one line per connection in argument order (never completion order): "#N ok: REPLY" (REPLY as JSON.stringify of the text that came back), or "#N failed: REASON" where REASON is err.code for an error (ECONNRESET, ECONNREFUSED), "timed out", "short reply (K of M bytes)" when the server ended after only the first K of the message\'s M bytes, or "wrong reply (K bytes)" for any other K bytes; then "S of N connections succeeded". Exits 1 if any connection failed, 0 otherwise, right after printing. No argument: a usage line on stderr, no connection, exit code 2.',
      },
    ],
    hints: [
      'One connection per message, each with its own state: its chunks, its timer, its result. Put them inside the function that opens the connection, never in variables shared by all connections.',
      'Wrap one connection in a Promise that resolves once with its result ("end", "error" or its deadline, whichever comes first), and keep 4 workers that each take the next message when their connection ends. Store each result at its message\'s index.',
      'In the Promise: const timer = setTimeout(() => finish({ ok: false, reason: "timed out" }), 2000); finish() clears the timer, destroys the socket and resolves. Workers: while (next < messages.length) { const i = next++; results[i] = await exchange(messages[i]); }, four of them under Promise.all. Then print results in order and set process.exitCode.',
    ],
  },
  {
    number: 8,
    slug: '08-application-protocol',
    title: 'An application protocol with a header',
    summary: 'A message that describes itself: a 2-byte length, a JSON header, then content of any type, and what to do with hostile input.',
    programs: [
      {
        file: 'server.ts',
        role: 'server',
        start: 'npx tsx exercises/08-application-protocol/server.ts',
        reads: `${HOST_PORT}; any number of clients at once, each sending any number of requests: a message is a 2-byte big-endian unsigned length of a JSON header (UTF-8, at most 4096 bytes), the header, an object with "byteorder", "content-type", "content-encoding" (strings) and "content-length" (an integer from 0 to 1048576, the content's length in bytes), then that many bytes of content`,
        prints:
          'answers every request, in order, with one message of the same shape (its header has the four fields, "content-length" in bytes). A "text/json" request whose content is the UTF-8 JSON {"action": "search", "value": V} gets the text/json reply {"result": R}, R the value of V in the lesson\'s table, else the text No match for "V". A "binary/custom-client-binary-type" request gets a reply of that type holding its content\'s bytes in reverse order. Every other request gets the text/json reply {"error": KIND, "message": TEXT}: KIND "unknown-content-type" (another content-type), "invalid-content" (text/json content that is not a JSON object with a string "action" and "value"), "unknown-action" (an action but "search"): these keep the connection open for the next request. KIND "header-too-large" (a header length over 4096, replied as soon as the 2 bytes are in, without waiting for the header), "invalid-header" (a header that is not a UTF-8 JSON object: not JSON, not an object, or holding a byte that is not UTF-8, which is refused, not replaced), "bad-field" (any of the four fields missing, byteorder, content-type or content-encoding not a string, content-length not a number, or a number that is not an integer, below 0 or over 1048576, replied as soon as the header is in, without waiting for the content): after these the stream cannot be read on, so the server ends that connection after the error reply and reads nothing more from it. A client that ends the connection in the middle of a message (after a byte of the 2-byte length, part of the header, a whole header whose content has not come, or part of the content) gets KIND "truncated", then the end. A client that ends it right after a whole message gets nothing more after the last reply, only the end. Ends a connection after its replies once the client ends it; never crashes, and a malformed request never affects another client; keeps running.',
      },
      {
        file: 'client.ts',
        role: 'client',
        start: 'npx tsx exercises/08-application-protocol/client.ts search morpheus',
        reads: `${HOST_PORT}; arguments "ACTION VALUE" (a text/json request {"action": ACTION, "value": VALUE}, e.g. search morpheus; VALUE any UTF-8 text) or "binary" (a binary/custom-client-binary-type request whose content is all of stdin, any bytes)`,
        prints:
          'sends one request, reads one whole reply (nothing printed before all its content-length bytes are in) and ends the connection. A text/json reply {"result": R}: prints R and a newline to stdout (console.log(R)), nothing else, exits 0. A binary/custom-client-binary-type reply: writes its content\'s bytes, exactly, to stdout (no newline added), exits 0. A text/json reply {"error": KIND, "message": TEXT}: prints one line naming KIND to stderr (such as "error: KIND: TEXT"), nothing to stdout, exits 1. A broken stream (the server ends before a whole reply, or its header is not one of the protocol): a line on stderr, nothing on stdout, exit 1. No arguments: a usage line on stderr, exit 2.',
      },
    ],
    modules: ['protocol.ts'],
    hints: [
      'A message comes in three parts of which only the first has a fixed size: read 2 bytes, then as many header bytes as they say, then as many content bytes as the header\'s "content-length" says. Each part can arrive split over several "data" events, or several messages in one.',
      'Keep a buffer and a "header read yet?" state per connection. Check what arrives before trusting it: the length against 4096 before waiting for the header, JSON.parse inside try/catch, every field\'s type, content-length an integer from 0 to 1048576. On "end", a header whose content has not come is an unfinished message too. Measure text in bytes: Buffer.byteLength(text) or Buffer.from(text).length, never text.length.',
      'Reading: buffer.readUInt16BE(0), JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(2, 2 + n))) inside try, then buffer.subarray(0, header["content-length"]) once that many bytes are there. Writing: const header = Buffer.from(JSON.stringify({...})); const prefix = Buffer.alloc(2); prefix.writeUInt16BE(header.length); socket.write(Buffer.concat([prefix, header, content])).',
    ],
  },
];

export class UnknownLessonError extends Error {}

/** Every file the learner edits for a lesson: its programs, then its modules. */
export function lessonFiles(lesson: Lesson): string[] {
  return [...lesson.programs.map((program) => program.file), ...(lesson.modules ?? [])];
}

/** Accepts "lesson-3", "3", "03" or the slug "03-framing". */
export function findLesson(name: string): Lesson {
  const trimmed = name.trim().toLowerCase();
  const numeric = /^(?:lesson-?)?0*(\d+)$/.exec(trimmed);
  const found = numeric
    ? course.find((lesson) => lesson.number === Number(numeric[1]))
    : course.find((lesson) => lesson.slug === trimmed);
  if (!found) {
    const known = course.map((lesson) => `lesson-${lesson.number}`).join(', ');
    throw new UnknownLessonError(`unknown lesson "${name}": expected one of ${known}, or a slug like ${course[0]!.slug}`);
  }
  return found;
}
