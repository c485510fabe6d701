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
          'sends each line as one frame; prints the payload of each reply frame as one line, in order, exactly as it came over the wire (the grader\'s server does not always reverse); however long the replies take, ends the connection once stdin has ended and every line has its reply (also when stdin is empty, or when every reply came before stdin ended), then exits 0. If the server ends the connection first, with a reply missing or a frame cut off, prints an error line on stderr and exits non-zero. A reply length above MAX_FRAME_BYTES is an error too, at once: an error line on stderr, the connection and stdin closed, a non-zero exit.',
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
