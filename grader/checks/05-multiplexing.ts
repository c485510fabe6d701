// Lesson 5: a line server for many clients at once. One server run serves every check,
// as a real server keeps running whatever its clients do. The order matters: the first
// checks use one connection, so a server with a global counter or one that serves clients
// one at a time still reaches the check made to catch it. The short-line flood comes after
// the disconnect check (it resets its connection when done), and the unfinished line last
// (it relies on the server ending after a client's FIN, which the check before it shows).
import { escapeText } from '../net/escape.ts';
import { ProgramExitedError } from '../net/connect.ts';
import type { TcpPeer } from '../net/tcp-peer.ts';
import { formatDuration, sleep } from '../run/deadline.ts';
import type { RunningProgram } from '../run/program.ts';
import { fail, type CheckContext, type LessonChecks } from './check.ts';
import { crashReport } from './shared/exit.ts';
import { startServerAndConnect } from './shared/listening.ts';
import { Flooder, FLOOD_LINE_BYTES, mib } from './05-multiplexing/flood.ts';
import { bytesReadWhileWatched } from './05-multiplexing/rx-queue.ts';
import { drainListenerWarning, SHORT_LINE_BYTES, ShortLineFlooder } from './05-multiplexing/short-flood.ts';
import { awaitLines, diagnoseReply, type Replies, lineReaderOf, numbered, replyNumber, showLines } from './05-multiplexing/lines.ts';
import { BYTE_LINES, diagnoseBytes, SPLIT_UTF8_PIECES } from './05-multiplexing/bytes.ts';

const FILE = 'server.ts';
/** 400 descriptors across the two processes: far below Linux's usual limit, under macOS's 256 each. */
const MANY_CLIENTS = 200;
/**
 * Measured on Linux loopback (tcp_wmem max 4 MiB, tcp_rmem max 32 MiB): servers that pause
 * reading when write() returns false let the flooder in for 7 to 9.5 MiB, what the four
 * socket buffers hold. A server that ignores write()'s return value takes all it is sent;
 * `for await` over readline reads 1024 lines (64 MiB here) ahead and let in about 72 MiB.
 * Not measured but the worst case: with the server's receive buffer grown to its 32 MiB
 * maximum, a correct server would let in about 40 MiB, still under the limit.
 */
const FLOOD_LIMIT_BYTES = 48 * 2 ** 20;
const FLOOD_CAP_BYTES = 128 * 2 ** 20;
const FLOOD_STALL_MS = 1500;
/** How long the stalled flooder's queue at the server is watched for reads without "drain". */
const RESUME_WATCH_MS = 1000;
/**
 * What a paused socket may still read, late on a starved machine: Node fills its read
 * buffer (16 KiB on Node 20, 64 KiB on 22) with reads of up to 64 KiB, then stops.
 * Measured (ss, bytes_received minus Recv-Q): correct servers read 0 bytes in the watch;
 * one that resumes on a 100 ms timer read 640 to 655 KiB.
 */
const READ_AFTER_PAUSE_BYTES = 128 * 1024;
/**
 * The half-close check's last line. Its reply must be larger than what the socket buffers
 * take while the client is not reading (measured: 4 MiB send buffer plus about 0.2 MiB),
 * so it is still queued in the server when the FIN arrives. Not larger: a server that
 * concatenates every chunk onto one buffer copies a long line once per chunk.
 */
const BIG_LINE_BYTES = 6 * 2 ** 20;

const BACKPRESSURE_HINT =
  'When socket.write() returns false, stop reading: socket.pause(), then socket.once("drain", () => socket.resume()). That is select()\'s "stop watching for read, watch for write".';

/** What a crashed server printed, named for the learner. */
function crashOf(program: RunningProgram): string {
  const stderr = program.stderr.text;
  if (/heap out of memory/i.test(stderr)) return 'JavaScript heap out of memory';
  return crashReport(stderr)?.trim() ?? (stderr.trim().split('\n').at(-1) || 'no message');
}

function failIfExited(program: RunningProgram, during: string, hint?: string): void {
  if (program.running) return;
  fail(`${FILE} ${program.exit?.signal ? `was killed by ${program.exit.signal}` : `exited with code ${program.exit?.code}`} ${during}: ${crashOf(program)}`, {
    expected: 'the server keeps running and serving its other clients',
    actual: 'the server process ended',
    hint,
  });
}

/** Waits up to `ms` for the program to end: a dying server's closed connections are seen before its exit. */
async function untilExitOr(program: RunningProgram, ms: number): Promise<void> {
  if (program.running) await Promise.race([program.exited, sleep(ms)]);
}

/** What two clients' wrong answers say: one counter for all (numbers above 3), one buffer for all (lines glued). */
function countersHint(sharedCounter: boolean, gluedLines: boolean): string | undefined {
  if (sharedCounter) return 'Numbers above 3 mean one counter is shared by every connection. Declare it inside the connection callback (or a per-connection object), so each client counts from 1.';
  if (gluedLines) return 'One client\'s unfinished line was glued to another client\'s line: one buffer is shared by every connection. Declare the buffer inside the connection callback, so each socket keeps its own unfinished line.';
  return undefined;
}

function lines(context: CheckContext, purpose: string, prefix: string, count: number): string[] {
  const random = context.random(purpose);
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}-${random.word(3, 8)}`);
}

export const multiplexingChecks: LessonChecks = () => {
  let server: RunningProgram;
  let port: number;
  let first: TcpPeer;
  let flooder: Flooder;
  let bystander: TcpPeer;

  const connect = (context: CheckContext, name: string) => context.connect(port, { name, program: server, deadlineMs: context.ms(5000) });

  return [
    {
      id: 'answers-a-line',
      title: 'listens on HOST:PORT and answers "hello\\n" with "1 hello\\n"',
      hint: 'Listen on PORT and HOST from the environment; for each complete line write `${count} ${line}\\n`, count starting at 1.',
      async run(context) {
        ({ program: server, port, peer: first } = await startServerAndConnect(context, FILE));
        const line = `hello ${context.random('hello').word(3, 8)}`;
        await first.send(`${line}\n`);
        const { lines: replies, rest } = await awaitLines(first, 1, context.ms(5000), `the answer to "${line}"`);
        failIfExited(server, 'after its first line');
        const expected = `1 ${line}`;
        if (replies[0] !== expected) {
          fail(replies.length === 0 && !rest ? `${FILE} did not answer the line "${line}"` : `${FILE} answered "${line}" wrongly`, {
            expected: showLines([expected]),
            actual: showLines(replies.slice(0, 3), rest),
            hint:
              diagnoseReply(line, 1, replies[0]) ??
              (rest ? 'The reply must end with "\\n": the client reads lines.' : undefined) ??
              (replies.length === 0 && (first.gotEnd || first.closed) ? 'The server closed the connection instead of answering: keep it open until the client ends it.' : undefined) ??
              (replies.length === 0 && !rest ? 'Nothing came back. In the "data" handler, find each "\\n", and write `${count} ${line}\\n` back on the same socket.' : undefined),
          });
        }
        first.clear();
      },
    },
    {
      id: 'answers-whole-lines',
      title: 'answers a line split across writes once, whole, and several lines in one write each',
      hint: 'One "data" event is not one line. Append every chunk to this connection\'s buffer, answer each complete line in it, and keep the unfinished rest for the next chunk.',
      async run(context) {
        const [split, both1, both2, tail1, tail2] = lines(context, 'whole-lines', 'part', 5) as [string, string, string, string, string];
        // Pauses between the pieces let each arrive as its own "data" event.
        const pieces = [
          split.slice(0, 3),
          split.slice(3),
          '\n',
          `${both1}\n${both2}\n`,
          `${tail1}\n${tail2.slice(0, 2)}`,
          `${tail2.slice(2)}\n`,
        ];
        for (const [index, piece] of pieces.entries()) {
          await first.send(piece);
          if (index < pieces.length - 1) await sleep(context.ms(200));
        }
        const sent = [split, both1, both2, tail1, tail2];
        const expected = numbered(sent, 2);
        const { lines: replies, rest } = await awaitLines(first, expected.length, context.ms(3000), `${expected.length} answers`);
        failIfExited(server, 'while a line arrived in pieces');
        if (replies.join('\n') !== expected.join('\n') || rest) {
          // A reply whose text is not one of the lines sent answered a piece, or several lines glued.
          const perChunk = rest !== '' || replies.some((reply) => !sent.includes(reply.replace(/^\d+ /, '')));
          fail(`${FILE} answered ${replies.length} line${replies.length === 1 ? '' : 's'} for the 5 it was sent in ${pieces.length} pieces`, {
            expected: showLines(expected),
            actual: showLines(replies, rest),
            hint: perChunk
              ? 'The server answers each "data" chunk as if it were a line. TCP keeps no message boundaries: a chunk can hold part of a line or several lines. Buffer per connection and split on "\\n".'
              : diagnoseReply(sent[0]!, 2, replies[0]),
          });
        }
      },
    },
    {
      id: 'answers-lines-as-bytes',
      title: 'answers lines byte for byte: bytes above 0x7F, spaces and tabs at the ends, "\\r", empty lines',
      hint: 'A line is every byte before "\\n", whatever they are: answer it exactly as it came, with no decoding, trimming or skipping.',
      async run(context) {
        first.clear();
        const sentinel = `last-${context.random('bytes').word(3, 8)}`;
        const sent = [...BYTE_LINES.map((line) => line.bytes), Buffer.from(sentinel, 'latin1')];
        // The first line's pieces arrive as their own "data" events, each cut inside a character.
        const [head, ...pieces] = SPLIT_UTF8_PIECES;
        await first.send(head!);
        for (const piece of pieces) {
          await sleep(context.ms(150));
          await first.send(piece);
        }
        await first.send(Buffer.concat([Buffer.from('\n'), ...sent.slice(1).flatMap((line) => [line, Buffer.from('\n')])]));
        const reader = lineReaderOf(first);
        await first
          .until(() => reader.lines.some((reply) => reply.endsWith(sentinel)) || first.gotEnd || first.closed, context.ms(5000), `the answer to "${sentinel}"`)
          .catch(() => undefined);
        const replies = [...reader.lines];
        failIfExited(server, 'after lines with bytes above 0x7F, spaces, "\\r" and an empty line');
        const expected = numbered(sent.map((line) => line.toString('latin1')), 7);
        if (replies.join('\n') !== expected.join('\n')) {
          fail(`${FILE} did not answer ${sent.length} lines byte for byte`, {
            expected: showLines(expected),
            actual: showLines(replies, reader.rest()),
            hint: diagnoseBytes(replies) ?? diagnoseReply(sentinel, 7 + BYTE_LINES.length, replies.at(-1)),
          });
        }
        first.end(); // done with this client; a server that serves one at a time may move on
      },
    },
    {
      id: 'counts-per-connection',
      title: 'two interleaved clients each see their own line numbers 1, 2, 3',
      hint: 'Keep the line counter and the buffer inside the connection callback, one per socket: a variable outside it is shared by every client.',
      async run(context) {
        const a = await connect(context, 'client-a');
        const b = await connect(context, 'client-b');
        const linesA = lines(context, 'per-connection-a', 'a', 3);
        const linesB = lines(context, 'per-connection-b', 'b', 3);
        // Alternate the two clients' lines, each of A's cut around one of B's, so that B's
        // line arrives while half of A's waits in A's buffer. Only A's answers are awaited
        // before A ends, so this check needs no concurrency (the next-but-one check's job).
        for (let i = 0; i < 3; i++) {
          const lineA = linesA[i]!;
          await a.send(lineA.slice(0, 3));
          await sleep(context.ms(50));
          await b.send(`${linesB[i]}\n`);
          await sleep(context.ms(50));
          await a.send(`${lineA.slice(3)}\n`);
          await awaitLines(a, i + 1, context.ms(3000), `the answer to "${lineA}"`);
        }
        const gotA = (await awaitLines(a, 3, context.ms(3000), 'three answers on client-a')).lines;
        a.end();
        const gotB = (await awaitLines(b, 3, context.ms(5000), 'three answers on client-b')).lines;
        b.end();
        failIfExited(server, 'while two clients sent lines');
        const expectedA = numbered(linesA);
        const expectedB = numbered(linesB);
        for (const [name, got, expected, sent] of [
          ['client-a', gotA, expectedA, linesA],
          ['client-b', gotB, expectedB, linesB],
        ] as const) {
          if (got.join('\n') === expected.join('\n')) continue;
          const numbers = [...gotA, ...gotB].map(replyNumber).filter((n) => n !== undefined);
          const shared = numbers.some((n) => n > 3);
          const sentAll: string[] = [...linesA, ...linesB];
          const glued = [...gotA, ...gotB].some((reply) => !sentAll.includes(reply.replace(/^\d+ /, '')));
          fail(`${name} got ${got.length ? `the numbers ${got.map((reply) => replyNumber(reply) ?? '?').join(', ')}` : 'no answer'} for its three lines`, {
            expected: `${name}: ${showLines(expected)}`,
            actual: `client-a: ${showLines(gotA)}; client-b: ${showLines(gotB)}`,
            hint: countersHint(shared, glued) ?? diagnoseReply(sent[0]!, 1, got[0]),
          });
        }
      },
    },
    {
      id: 'serves-many-at-once',
      title: `serves ${MANY_CLIENTS} clients connected at once, the last one first`,
      hint: 'Never wait for one connection to finish before serving the next. Each socket gets its own event handlers; the event loop runs whichever is ready.',
      async run(context) {
        const random = context.random('many');
        const peers: TcpPeer[] = [];
        for (let i = 1; i <= MANY_CLIENTS; i++) peers.push(await connect(context, `many-${i}`));
        // The kernel completes a connect on its own (the listen backlog); only an answer
        // shows that the server is serving this connection.
        const last = peers.at(-1)!;
        const opener = `last-${random.word(4, 8)}`;
        await last.send(`${opener}\n`);
        const answer = await awaitLines(last, 1, context.ms(5000), `an answer to the last of ${MANY_CLIENTS} clients`);
        failIfExited(server, `with ${MANY_CLIENTS} clients connected`);
        if (answer.lines[0] !== `1 ${opener}`) {
          const silent = answer.lines.length === 0 && !answer.rest;
          fail(silent
            ? `${FILE} did not answer the ${MANY_CLIENTS}th client while the other ${MANY_CLIENTS - 1} were connected and silent`
            : `${FILE} answered the ${MANY_CLIENTS}th client wrongly`, {
            expected: showLines([`1 ${opener}`]),
            actual: showLines(answer.lines, answer.rest),
            hint: silent
              ? 'The server serves one connection at a time: it waits for a client to finish before it reads the next. Handle every socket as it comes, in its own callbacks (or its own async function that is not awaited by the accept loop).'
              : diagnoseReply(opener, 1, answer.lines[0]),
          });
        }
        const dropped = peers.filter((peer) => peer !== last && (peer.gotEnd || peer.closed));
        if (dropped.length > 0) {
          fail(`${FILE} closed ${dropped.length} silent client${dropped.length === 1 ? '' : 's'} (first: ${dropped[0]!.name})`, {
            expected: 'silent clients stay connected',
            actual: `${dropped.length} connections closed by the server`,
            hint: 'A client that sends nothing yet is not finished. Close a connection only after its client has ended it.',
          });
        }
        last.clear();
        const sent = peers.map((_, i) => `c${i + 1}-${random.word(3, 8)}`);
        await Promise.all(peers.map((peer, i) => peer.send(`${sent[i]}\n`)));
        const deadline = context.ms(10_000);
        const got = await Promise.all(peers.map((peer) => awaitLines(peer, 1, deadline, `an answer on ${peer.name}`)));
        failIfExited(server, `while ${MANY_CLIENTS} clients sent a line each`);
        const wrong = got.flatMap((reply, i) => {
          const expected = `${i === MANY_CLIENTS - 1 ? 2 : 1} ${sent[i]}`;
          return reply.lines[0] === expected ? [] : [{ i, expected, reply }];
        });
        if (wrong.length > 0) {
          const { i, expected, reply } = wrong[0]!;
          fail(`${wrong.length} of ${MANY_CLIENTS} clients did not get their own answer (first: many-${i + 1})`, {
            expected: `many-${i + 1}: ${showLines([expected])}`,
            actual: `many-${i + 1}: ${showLines(reply.lines, reply.rest)}`,
            hint: reply.lines.length === 0 && !reply.rest
              ? 'Some clients were never answered: every connection must be served while the others stay connected.'
              : diagnoseReply(sent[i]!, 1, reply.lines[0]),
          });
        }
        for (const peer of peers) peer.end();
        // Let the server's 200 FINs arrive now rather than in the next check's transcript.
        // Not a requirement here: ending after the client is the last check's business.
        await Promise.all(peers.map((peer) => peer.untilEndOrClose(context.ms(1000), 'FIN').catch(() => undefined)));
      },
    },
    {
      id: 'respects-backpressure',
      title: 'stops reading from a client that sends without reading its replies',
      hint: BACKPRESSURE_HINT,
      async run(context) {
        // Connected before the flood: a server that pauses every socket pauses this one too.
        bystander = await connect(context, 'bystander');
        const peer = await connect(context, 'flooder');
        const filler = Buffer.from(context.random('flood').word(FLOOD_LINE_BYTES, FLOOD_LINE_BYTES), 'latin1');
        flooder = new Flooder(peer, context.transcript, filler);
        const flood = await flooder.flood(FLOOD_CAP_BYTES, context.ms(FLOOD_STALL_MS), context.ms(30_000));
        const accepted = `the flooder got ${mib(flood.acceptedBytes)} accepted in ${formatDuration(flood.elapsedMs)}`;
        context.transcript.note('grader', `${accepted} (${flood.end}); limit ${mib(FLOOD_LIMIT_BYTES)}`);
        failIfExited(server, `while a client sent ${FLOOD_LINE_BYTES / 1024} KiB lines without reading (${accepted})`,
          /heap out of memory/i.test(server.stderr.text)
            ? `It kept reading and queued every reply in memory until the heap was full. ${BACKPRESSURE_HINT}`
            : undefined);
        if (flood.acceptedBytes <= FLOOD_LIMIT_BYTES && flood.end === 'stalled') {
          // The flooder reads nothing, so "drain" cannot fire: a server that reads on now
          // resumed on something else. Without ss (not Linux) this is not judged.
          const read = await bytesReadWhileWatched(port, peer.socket.localPort!, context.ms(RESUME_WATCH_MS));
          context.transcript.note('grader', `the server read ${read ?? 'an unknown number of'} bytes from the stalled flooder in ${formatDuration(context.ms(RESUME_WATCH_MS))}`);
          if (read === undefined || read <= READ_AFTER_PAUSE_BYTES) return;
          fail(`${FILE} read ${read} more bytes from a client that read none of its replies, after it had stopped reading`, {
            expected: 'no reading from the stalled client until its replies can be sent ("drain")',
            actual: `${read} bytes read in ${formatDuration(context.ms(RESUME_WATCH_MS))} while none of its replies could go`,
            hint: 'The server paused, then read again although "drain" could not have fired (the client read nothing): it resumes on something else, a timer perhaps. Resume only in the "drain" listener.',
          });
        }
        const expected = `at most ${mib(FLOOD_LIMIT_BYTES)} taken from a client that reads nothing (socket buffers plus a little)`;
        if (flood.end === 'cap' || flood.end === 'deadline') {
          fail(`${FILE} kept reading from a client that never reads its replies: ${mib(flood.acceptedBytes)} accepted, still going when the grader stopped`, {
            expected,
            actual: `${mib(flood.acceptedBytes)} accepted; the replies are queued in the server's memory`,
            hint: `It kept reading while its replies could not be sent, so they pile up in memory without bound: either it ignores write()'s return value, or it resumes before "drain" has fired (on a timer, or on its own). Only "drain" says the replies have gone. ${BACKPRESSURE_HINT}`,
          });
        }
        if (flood.end === 'closed') {
          fail(`${FILE} closed the connection of a client that sent lines without reading (after ${mib(flood.acceptedBytes)})`, {
            expected: 'a slow reader is slowed down, not disconnected',
            actual: `the connection was closed${peer.error ? ` (${peer.error.code})` : ''}`,
          });
        }
        fail(`${FILE} read ${mib(flood.acceptedBytes)} from a client that reads nothing before it stopped reading`, {
          expected,
          actual: `${mib(flood.acceptedBytes)} accepted, then it stopped`,
          hint: `Something reads far ahead of what can be sent: \`for await (const line of readline)\` reads up to 1024 lines before it pauses the socket. Read the socket yourself, or pause it when write() returns false. ${BACKPRESSURE_HINT}`,
        });
      },
    },
    {
      id: 'stays-responsive',
      title: 'answers other clients at once while one client is stalled',
      hint: 'Never wait in a loop for a socket to drain: nothing else runs while a loop spins, not even the drain. Register a "drain" listener and return from the "data" handler.',
      async run(context) {
        const peer = bystander;
        const line = `meanwhile-${context.random('bystander').word(3, 8)}`;
        await peer.send(`${line}\n`);
        const { lines: replies, rest } = await awaitLines(peer, 1, context.ms(5000), `an answer to "${line}" while the flooder is stalled`);
        failIfExited(server, 'while one client was stalled');
        if (replies[0] === `1 ${line}`) return peer.end();
        if (replies.length > 0 || rest) {
          fail(`${FILE} answered another client wrongly while the flooder was stalled`, {
            expected: showLines([`1 ${line}`]),
            actual: showLines(replies, rest),
            hint: diagnoseReply(line, 1, replies[0]) ?? (replies[0]?.endsWith(line)
              ? 'Bytes of another connection came before this line: one buffer is shared by every connection. Keep each socket\'s unfinished line in its own buffer.'
              : 'The answer is not "1 " and the line: each connection counts its own lines from 1 and answers each exactly.'),
          });
        }
        // Silent. Whether it answers once the flooder reads tells a server that stopped
        // reading every socket from one whose event loop is blocked.
        flooder.peer.socket.resume();
        const late = await awaitLines(peer, 1, context.ms(5000), `an answer to "${line}" once the flooder reads again`);
        failIfExited(server, 'while one client was stalled');
        fail(`${FILE} did not answer another client while the flooder was stalled`, {
          expected: showLines([`1 ${line}`]),
          actual: late.lines.length > 0 ? `nothing, until the flooder read its replies; then ${showLines(late.lines, late.rest)}` : '(nothing, even after the flooder read its replies)',
          hint: late.lines.length > 0
            ? 'The server stopped reading from every client because one could not take its replies: pause only the socket whose write() returned false, and resume only that one on its "drain".'
            : 'The whole server stopped: something blocks the event loop while one socket cannot be written (a while loop waiting for writableLength or for "drain"). Wait with an event listener instead, and return.',
        });
      },
    },
    {
      id: 'resumes-after-drain',
      title: 'once the stalled client reads again, answers every line it sent, in order',
      hint: 'After pause(), call resume() when "drain" fires: socket.once("drain", () => socket.resume()).',
      async run(context) {
        const peer = flooder.peer;
        const expected = flooder.expectedReplies();
        const lineCount = flooder.linesWritten;
        peer.socket.resume();
        // Under load the server may be slow, but a server that reads again never goes quiet for long.
        const idleMs = context.ms(5000);
        const giveUpAt = Date.now() + context.ms(30_000);
        let before = -1;
        while (peer.receivedBytes < expected.length && peer.receivedBytes !== before && !peer.closed && Date.now() < giveUpAt) {
          before = peer.receivedBytes;
          await peer.until(() => peer.receivedBytes >= expected.length || peer.closed, idleMs, 'more replies').catch(() => undefined);
        }
        failIfExited(server, 'while the stalled client read its replies');
        const got = peer.data();
        const answered = got.subarray(0, expected.length).toString('latin1').split('\n').length - 1;
        if (got.length < expected.length) {
          fail(`${FILE} answered ${answered} of the ${lineCount} lines the stalled client sent, then nothing for ${formatDuration(idleMs)}`, {
            expected: `${lineCount} replies (${mib(expected.length)})`,
            actual: `${answered} replies (${mib(got.length)})${peer.closed ? ', then the connection closed' : ''}`,
            hint: 'The server paused the socket and never resumed it. Call socket.resume() on "drain", when the queued replies have been sent.',
          });
        }
        const mismatch = got.subarray(0, expected.length).equals(expected) ? -1 : firstDifferentLine(got, expected);
        if (mismatch !== -1 || got.length > expected.length) {
          const at = mismatch === -1 ? lineCount + 1 : mismatch + 1;
          const gotLine = got.toString('latin1').split('\n')[at - 1] ?? '';
          fail(`reply ${at} of the ${lineCount} to the stalled client is not "${at} flood ${at} …"`, {
            expected: escapeText(`${at} flood ${at} `, 40) + '…',
            actual: escapeText(gotLine.slice(0, 40), 40) + (gotLine.length > 40 ? '…' : ''),
            hint: 'Answer the lines of one connection in the order they came, each exactly once; keep the unfinished part of a chunk for the next one.',
          });
        }
        peer.clear();
        peer.end();
      },
    },
    {
      id: 'survives-disconnects',
      title: 'clients that vanish mid-line or reset do not disturb the others',
      hint: 'Add socket.on("error", ...) that logs and returns: ECONNRESET and EPIPE concern that one client. Never exit or throw because of one connection.',
      async run(context) {
        // A server that dies of a reset may do so late under load: every observation
        // below that could be its death waits for the exit before it is judged.
        const crashHint = () => /Unhandled 'error' event/.test(server.stderr.text)
          ? 'No "error" listener on a client socket: Node turns the reset into an uncaught exception that ends the whole server. Add socket.on("error", (err) => console.error(err.code)).'
          : 'An error of one client ended the whole server. Log it and let that connection go; never exit or rethrow from a socket\'s error or write callback.';
        const during = 'after clients disconnected mid-line and reset';
        try {
          const [a1, a2, a3] = lines(context, 'survivor', 'keep', 3) as [string, string, string];
          const keeper = await connect(context, 'keeper');
          await keeper.send(`${a1}\n${a2}\n${a3.slice(0, 3)}`);
          await awaitLines(keeper, 2, context.ms(3000), 'two answers on keeper');

          // Leaves in the middle of a line: FIN after half a line.
          const quitter = await connect(context, 'quitter');
          await quitter.send(`half a li`);
          context.transcript.note(quitter.name, 'closed the connection (FIN) in the middle of a line');
          quitter.destroy();
          // Resets while idle: the server's next read fails with ECONNRESET.
          const idle = await connect(context, 'idle-reset');
          await idle.send('x\n');
          await awaitLines(idle, 1, context.ms(3000), 'an answer on idle-reset');
          idle.reset();
          // Resets with replies still queued for it: the server's writes fail.
          const busy = await connect(context, 'busy-reset');
          busy.socket.pause();
          const busyLines = Array.from({ length: 64 }, (_, i) => flooder.line(i + 1));
          // Not awaited: with small socket buffers these writes may never all be taken.
          for (const line of busyLines) void busy.send(line);
          await sleep(context.ms(300));
          busy.reset();
          await sleep(context.ms(500));

          failIfExited(server, during, crashHint());

          const hello = `after-${context.random('newcomer').word(3, 8)}`;
          const expected = numbered([a1, a2, a3]);
          let kept: Replies = { lines: [], rest: '', count: 0 };
          let fresh: Replies = { lines: [], rest: '', count: 0 };
          try {
            await keeper.send(`${a3.slice(3)}\n`);
            kept = await awaitLines(keeper, 3, context.ms(5000), 'the third answer on keeper');
            const newcomer = await connect(context, 'newcomer');
            await newcomer.send(`${hello}\n`);
            fresh = await awaitLines(newcomer, 1, context.ms(5000), 'an answer on newcomer');
            newcomer.end();
          } catch (error) {
            if (!(error instanceof ProgramExitedError)) throw error;
          }
          if (kept.lines.join('\n') !== expected.join('\n') || fresh.lines[0] !== `1 ${hello}`) await untilExitOr(server, context.ms(3000));
          failIfExited(server, during, crashHint());
          if (kept.lines.join('\n') !== expected.join('\n')) {
            fail('a client that stayed lost its state when others disconnected', {
              expected: `keeper: ${showLines(expected)}`,
              actual: `keeper: ${showLines(kept.lines, kept.rest)}`,
              hint: 'Another client\'s disconnect changed this one\'s counter or buffer: keep all state per connection, and clean up only the socket that closed.',
            });
          }
          if (fresh.lines[0] !== `1 ${hello}`) {
            fail('a new client was not answered after others disconnected', {
              expected: `newcomer: ${showLines([`1 ${hello}`])}`,
              actual: `newcomer: ${showLines(fresh.lines, fresh.rest)}`,
            });
          }
          keeper.end();
        } catch (error) {
          // A connect to a server that died of a reset meanwhile.
          if (!(error instanceof ProgramExitedError)) throw error;
          failIfExited(server, during, crashHint());
          throw error;
        }
      },
    },
    {
      id: 'one-drain-listener',
      title: 'keeps one "drain" listener per stalled socket while a client floods short lines',
      hint: 'Pause and register the "drain" listener once per stall: if (!socket.write(reply) && !socket.isPaused()) { socket.pause(); socket.once("drain", () => socket.resume()); }',
      async run(context) {
        const peer = await connect(context, 'short-flooder');
        const shortFlooder = new ShortLineFlooder(peer, context.transcript, Buffer.alloc(0));
        const flood = await shortFlooder.flood(FLOOD_CAP_BYTES, context.ms(FLOOD_STALL_MS), context.ms(30_000));
        context.transcript.note('grader', `the short-line flooder got ${mib(flood.acceptedBytes)} accepted in ${formatDuration(flood.elapsedMs)} (${flood.end})`);
        failIfExited(server, `while a client sent ${SHORT_LINE_BYTES}-byte lines without reading`);
        const warning = drainListenerWarning(server.stderr.text);
        // Done with it: the server's error listener sees the reset.
        peer.reset();
        if (!warning) return;
        fail(`${FILE} added a "drain" listener for every reply that did not fit, not one per pause`, {
          expected: 'one "drain" listener per paused socket, and no warning',
          actual: warning.trim(),
          hint: 'The "drain" listeners pile up: every write() that returns false adds one more, hundreds for one chunk of short lines, and Node warns of a leak. Add it only when you pause: check !socket.isPaused() before socket.pause() and socket.once("drain", ...).',
        });
      },
    },
    {
      id: 'ends-after-half-close',
      title: 'after a client half-closes, sends all its replies, then closes',
      hint: 'On "end", call socket.end(): it sends what is still queued, then FIN. destroy() throws the queue away; never ending leaves the client waiting.',
      async run(context) {
        const [l1, l2] = lines(context, 'half-close', 'last', 2) as [string, string];
        const pattern = Buffer.from(context.random('big-line').word(61, 61), 'latin1');
        const big = Buffer.alloc(BIG_LINE_BYTES);
        for (let at = 0; at < big.length; at += pattern.length) pattern.copy(big, at);
        const peer = await connect(context, 'half-closer');
        // Not reading while the big reply is written keeps it queued in the server when
        // the FIN arrives, right behind the line's "\n".
        peer.socket.pause();
        // Not awaited: a server that stops reading would leave these writes pending forever.
        void peer.send(`${l1}\n${l2}\n`);
        void peer.send(big);
        void peer.send('\n');
        peer.end();
        await sleep(context.ms(300));
        peer.socket.resume();
        const expected = Buffer.concat([Buffer.from(`1 ${l1}\n2 ${l2}\n3 `, 'latin1'), big, Buffer.from('\n')]);
        // First the replies: generous, since a server that re-copies its buffer for every
        // chunk takes seconds for a 6 MiB line on a loaded machine. Then the FIN.
        await peer
          .until(() => peer.receivedBytes >= expected.length || peer.gotEnd || peer.closed, context.ms(60_000), `${mib(expected.length)} of replies`)
          .catch(() => undefined);
        const waited = context.ms(3000);
        const ended = await peer
          .untilEndOrClose(waited, `${FILE} to close after the replies and the client's FIN`)
          .then(() => true, () => false);
        failIfExited(server, 'after a client half-closed');
        const got = peer.data();
        const complete = got.equals(expected);
        if (!ended) {
          fail(`${FILE} did not close the connection within ${formatDuration(waited)} of the client's FIN${complete ? ', after sending every reply' : ''}`, {
            expected: 'every reply, then FIN',
            actual: `${mib(got.length)} of ${mib(expected.length)} of replies, connection still open`,
            hint: 'When the client ends ("end" event), end your side with socket.end() once the replies are written. With allowHalfOpen: true Node does not do it for you.',
          });
        }
        if (!complete) {
          const lost = got.length < expected.length && expected.subarray(0, got.length).equals(got);
          fail(`${FILE} closed after sending ${got.length} of ${expected.length} bytes of replies${peer.error ? ` (${peer.error.code})` : ''}`, {
            expected: `${mib(expected.length)} of replies, then FIN`,
            actual: `${mib(got.length)}${lost ? '' : ' that differ from the expected replies'}, then ${peer.gotEnd ? 'FIN' : 'a reset'}`,
            hint: lost
              ? 'Replies still queued were thrown away: socket.destroy() on "end" drops them. socket.end() sends them first, then FIN.'
              : 'The replies differ: answer each line of the connection exactly once, in order.',
          });
        }
      },
    },
    {
      id: 'leaves-unfinished-line',
      title: 'gives no answer to an unfinished last line when the client ends',
      hint: 'A line is complete only when its "\\n" arrives. When the client ends, what is left in its buffer is not a line: drop it, then end().',
      async run(context) {
        const [line, tail] = lines(context, 'unfinished', 'tail', 2) as [string, string];
        const peer = await connect(context, 'unfinished');
        await peer.send(`${line}\n${tail}`);
        peer.end();
        // The previous check showed that the server ends after the client's FIN: whatever
        // it answers comes before its own FIN.
        const waited = context.ms(3000);
        const ended = await peer.untilEndOrClose(waited, `${FILE} to close after the client's FIN`).then(() => true, () => false);
        failIfExited(server, 'after a client ended in the middle of a line');
        const { lines: replies, rest } = await awaitLines(peer, 1, 0, 'the answers so far');
        const expected = numbered([line]);
        if (replies.join('\n') === expected.join('\n') && !rest && ended) return;
        const answeredTail = [...replies, rest].some((reply) => reply.endsWith(tail));
        fail(answeredTail
          ? `${FILE} answered the unfinished line "${tail}" that the client never ended with "\\n"`
          : `${FILE} did not answer "${line}" and close, when the client ended after "${tail}" without "\\n"`, {
          expected: `${showLines(expected)}, then FIN`,
          actual: `${showLines(replies, rest)}${ended ? ', then FIN' : `, connection still open after ${formatDuration(waited)}`}`,
          hint: answeredTail
            ? 'The unfinished last line was answered: only a "\\n" completes a line. On "end", drop what is left in the buffer (readline\'s "line" events hand it over; do not answer it).'
            : diagnoseReply(line, 1, replies[0]),
        });
      },
    },
  ];
};

/** Index of the first "\n"-terminated line that differs. */
function firstDifferentLine(got: Buffer, expected: Buffer): number {
  let line = 0;
  for (let i = 0; i < expected.length; i++) {
    if (got[i] !== expected[i]) return line;
    if (expected[i] === 0x0a) line++;
  }
  return -1;
}
