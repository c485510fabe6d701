// Backpressure in the one server run: a client floods long lines without reading its
// replies. The server must stop reading from it (and only it), keep answering a bystander,
// and answer every flooded line once the flooder reads again. The three checks share the
// flooder and the bystander through the session.
import { escapeText } from '../../net/escape.ts';
import { formatDuration, QUIET_MS, untilDoneOrStalled } from '../../run/deadline.ts';
import { fail, withFact, type Diagnosis } from '../check.ts';
import { need, type ScenarioCheck } from '../lesson.ts';
import { BACKPRESSURE_HINT, diagnoses } from './diagnoses.ts';
import { failIfExited } from './exited.ts';
import { Flooder, FLOOD_LINE_BYTES, mib } from './flood.ts';
import { awaitLinesUnlessQuiet, diagnoseReply, showLines } from './lines.ts';
import { bytesReadWhileWatched, serverHeldBytes } from './rx-queue.ts';
import { connectTo, FILE, flooderOf, servedBy, serverOf, type OneServer } from './session.ts';

/**
 * Measured on Linux loopback (tcp_wmem max 4 MiB, tcp_rmem max 32 MiB): servers that pause
 * reading when write() returns false let the flooder in for 7 to 9.5 MiB, what the four
 * socket buffers hold. A server that ignores write()'s return value takes all it is sent;
 * `for await` over readline reads 1024 lines (64 MiB here) ahead and let in about 72 MiB.
 * Not measured but the worst case: with the server's receive buffer grown to its 32 MiB
 * maximum, a correct server would let in about 40 MiB, still under the limit.
 */
const FLOOD_LIMIT_BYTES = 48 * 2 ** 20;
/**
 * What a server that pauses when write() returns false holds of one flooder: measured 124 KiB
 * on Node 20 (its 16 KiB high-water mark, a 64 KiB line and its reply). Node 22's 64 KiB mark
 * adds 48 KiB. A server that pauses only once its own queue is large holds that queue.
 */
const HELD_LIMIT_BYTES = 2 ** 20;
export const FLOOD_CAP_BYTES = 128 * 2 ** 20;
export const FLOOD_STALL_MS = 1500;
/**
 * How long the flood may go on: a server that pauses stalls it within a second or two, however
 * loaded the machine; one that keeps reading, even a trickle (a 50 ms resume timer: 1.3 MB/s),
 * is still going then. Longer only made its learner wait 30 s for the verdict.
 */
const FLOOD_DEADLINE_MS = 10_000;
/**
 * How long the stalled flooder's queue at the server is watched for reads without "drain", and
 * the part at its start after which a paused server reads nothing at all: a server resumed by a
 * timer of up to the watch less that part reads again at least once after it (measured: a 500 ms
 * and a 1 s timer each read 64 KiB at a time, under READ_AFTER_PAUSE_BYTES over a 1 s watch).
 */
export const RESUME_WATCH_MS = 1600;
const RESUME_SETTLE_MS = 400;
/**
 * What a paused socket may still read, late on a starved machine: Node fills its read
 * buffer (16 KiB on Node 20, 64 KiB on 22) with reads of up to 64 KiB, then stops.
 * Measured (ss, bytes_received minus Recv-Q): correct servers read 0 bytes in the watch;
 * one that resumes on a 100 ms timer read 640 to 655 KiB.
 */
const READ_AFTER_PAUSE_BYTES = 128 * 1024;
/** What a paused server may read once settled: nothing (one read of a resumed socket is 64 KiB). */
const READ_AFTER_SETTLING_BYTES = 16 * 1024;

/** A heap that filled up during the flood is the unbounded queue of replies. */
function diagnoseFloodCrash(stderr: string): Diagnosis | undefined {
  if (!/heap out of memory/i.test(stderr)) return undefined;
  return withFact(diagnoses['keeps-reading'], 'It queued every reply in memory until the heap was full.');
}

/** What a wrong answer to the bystander says, when the reply does not say more. */
function diagnoseBystander(line: string, reply: string | undefined): Diagnosis | undefined {
  const fromReply = diagnoseReply(line, 1, reply);
  if (fromReply) return fromReply;
  if (reply?.endsWith(line)) return withFact(diagnoses['shared-buffer'], 'Bytes of another connection came before this line.');
  return undefined;
}

/** Index of the first "\n"-terminated line that differs. */
function firstDifferentLine(got: Buffer, expected: Buffer): number {
  let line = 0;
  for (let i = 0; i < expected.length; i++) {
    if (got[i] !== expected[i]) return line;
    if (expected[i] === 0x0a) line++;
  }
  return -1;
}

export const respectsBackpressure: ScenarioCheck<OneServer> = {
  id: 'respects-backpressure',
  title: 'stops reading from a client that sends without reading its replies',
  hint: BACKPRESSURE_HINT,
  async run(context, session) {
    const served = await serverOf(context, session);
    const { server, port } = served;
    // Connected before the flood: a server that pauses every socket pauses this one too.
    session.bystander = await connectTo(context, served, 'bystander');
    const peer = await connectTo(context, served, 'flooder');
    const filler = Buffer.from(context.random('flood').word(FLOOD_LINE_BYTES, FLOOD_LINE_BYTES), 'latin1');
    const flooder = (session.flooder = new Flooder(peer, context.transcript, filler));
    const flood = await flooder.flood(FLOOD_CAP_BYTES, context.ms(FLOOD_STALL_MS), context.ms(FLOOD_DEADLINE_MS));
    const accepted = `the flooder got ${mib(flood.acceptedBytes)} accepted in ${formatDuration(flood.elapsedMs)}`;
    context.transcript.note('grader', `${accepted} (${flood.end}); limit ${mib(FLOOD_LIMIT_BYTES)}`);
    failIfExited(server, `while a client sent ${FLOOD_LINE_BYTES / 1024} KiB lines without reading (${accepted})`, diagnoseFloodCrash(server.stderr.text));
    if (flood.acceptedBytes <= FLOOD_LIMIT_BYTES && flood.end === 'stalled') {
      // The flooder reads nothing, so "drain" cannot fire: a server that reads on now
      // resumed on something else. Without ss (not Linux) this is not judged.
      const watchMs = context.ms(RESUME_WATCH_MS);
      const settleMs = context.ms(RESUME_SETTLE_MS);
      const read = await bytesReadWhileWatched(port, peer.socket.localPort!, settleMs, watchMs);
      context.transcript.note(
        'grader',
        read ? `the server read ${read.total} bytes from the stalled flooder in ${formatDuration(watchMs)}, ${read.afterSettling} of them after the first ${formatDuration(settleMs)}` : 'how much the server read from the stalled flooder is unknown here (no ss)',
      );
      if (read && (read.total > READ_AFTER_PAUSE_BYTES || read.afterSettling > READ_AFTER_SETTLING_BYTES)) {
        fail(`${FILE} read ${read.total} more bytes from a client that read none of its replies, after it had stopped reading`, {
          expected: `no reading from the stalled client until its replies can be sent ("drain"): nothing after the first ${formatDuration(settleMs)}`,
          actual: `${read.total} bytes read in ${formatDuration(watchMs)}, ${read.afterSettling} of them after the first ${formatDuration(settleMs)}, while none of its replies could go`,
          diagnosis: diagnoses['resumes-before-drain'],
        });
      }
      // Stalled and not reading on, but perhaps only after queueing replies well past write()'s false.
      const held = await serverHeldBytes(port, peer.socket.localPort!);
      context.transcript.note('grader', `the server holds ${held === undefined ? 'an unknown amount' : mib(held)} of this client's lines and replies in its own memory (ss: taken from the kernel less handed back)`);
      if (held !== undefined && held > HELD_LIMIT_BYTES) {
        fail(`${FILE} queued ${mib(held)} of replies in its own memory before it stopped reading from a client that reads nothing`, {
          expected: `reading paused as soon as write() returns false: at most ${mib(HELD_LIMIT_BYTES)} held (its high-water mark and a line or two)`,
          actual: `${mib(held)} taken from the kernel and not handed back to it`,
          diagnosis: diagnoses['queues-past-false'],
        });
      }
      return;
    }
    const expected = `at most ${mib(FLOOD_LIMIT_BYTES)} taken from a client that reads nothing (socket buffers plus a little)`;
    if (flood.end === 'cap' || flood.end === 'deadline') {
      fail(`${FILE} kept reading from a client that never reads its replies: ${mib(flood.acceptedBytes)} accepted, still going when the grader stopped`, {
        expected,
        actual: `${mib(flood.acceptedBytes)} accepted; the replies are queued in the server's memory`,
        diagnosis: diagnoses['keeps-reading'],
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
      diagnosis: diagnoses['reads-far-ahead'],
    });
  },
};

export const staysResponsive: ScenarioCheck<OneServer> = {
  id: 'stays-responsive',
  title: 'answers other clients at once while one client is stalled',
  hint: 'Never wait in a loop for a socket to drain: nothing else runs while a loop spins, not even the drain. Register a "drain" listener and return from the "data" handler.',
  async run(context, session) {
    const { server } = servedBy(session);
    const peer = need(session.bystander, 'the bystander of "respects-backpressure"');
    const line = `meanwhile-${context.random('bystander').word(3, 8)}`;
    await peer.send(`${line}\n`);
    // "At once": a working server answers in milliseconds.
    const { lines: replies, rest } = await awaitLinesUnlessQuiet(peer, 1, { deadlineMs: context.ms(5000), stallMs: context.ms(QUIET_MS) });
    failIfExited(server, 'while one client was stalled');
    if (replies[0] === `1 ${line}`) return peer.end();
    if (replies.length > 0 || rest) {
      fail(`${FILE} answered another client wrongly while the flooder was stalled`, {
        expected: showLines([`1 ${line}`]),
        actual: showLines(replies, rest),
        diagnosis: diagnoseBystander(line, replies[0]),
      });
    }
    // Silent. Whether it answers once the flooder reads tells a server that stopped
    // reading every socket from one whose event loop is blocked.
    const flooded = flooderOf(session).peer;
    flooded.socket.resume();
    // A server that paused every socket answers once the flooder's replies flow; a blocked one sends nothing to anyone.
    const late = await awaitLinesUnlessQuiet(peer, 1, {
      deadlineMs: context.ms(5000),
      stallMs: context.ms(QUIET_MS),
      progress: () => flooded.receivedBytes + peer.receivedBytes,
    });
    failIfExited(server, 'while one client was stalled');
    const answeredLate = late.lines.length > 0;
    fail(`${FILE} did not answer another client while the flooder was stalled`, {
      expected: showLines([`1 ${line}`]),
      actual: answeredLate ? `nothing, until the flooder read its replies; then ${showLines(late.lines, late.rest)}` : '(nothing, even after the flooder read its replies)',
      diagnosis: answeredLate ? diagnoses['pauses-every-socket'] : diagnoses['blocks-event-loop'],
    });
  },
};

export const resumesAfterDrain: ScenarioCheck<OneServer> = {
  id: 'resumes-after-drain',
  title: 'once the stalled client reads again, answers every line it sent, in order',
  hint: 'After pause(), call resume() when "drain" fires: socket.once("drain", () => socket.resume()).',
  async run(context, session) {
    const { server } = servedBy(session);
    const flooder = flooderOf(session);
    const peer = flooder.peer;
    const expected = flooder.expectedReplies();
    const lineCount = flooder.linesWritten;
    peer.socket.resume();
    // Under load the server may be slow, but a server that reads again never goes quiet for long.
    const idleMs = context.ms(QUIET_MS);
    await untilDoneOrStalled(() => peer.receivedBytes >= expected.length || peer.closed, () => peer.receivedBytes, { deadlineMs: context.ms(30_000), stallMs: idleMs });
    failIfExited(server, 'while the stalled client read its replies');
    const got = peer.data();
    const answered = got.subarray(0, expected.length).toString('latin1').split('\n').length - 1;
    if (got.length < expected.length) {
      fail(`${FILE} answered ${answered} of the ${lineCount} lines the stalled client sent, then nothing for ${formatDuration(idleMs)}`, {
        expected: `${lineCount} replies (${mib(expected.length)})`,
        actual: `${answered} replies (${mib(got.length)})${peer.closed ? ', then the connection closed' : ''}`,
        diagnosis: diagnoses['never-resumes'],
      });
    }
    const mismatch = got.subarray(0, expected.length).equals(expected) ? -1 : firstDifferentLine(got, expected);
    if (mismatch !== -1 || got.length > expected.length) {
      const at = mismatch === -1 ? lineCount + 1 : mismatch + 1;
      const gotLine = got.toString('latin1').split('\n')[at - 1] ?? '';
      fail(`reply ${at} of the ${lineCount} to the stalled client is not "${at} flood ${at} …": answer the lines of one connection in the order they came, each exactly once`, {
        expected: escapeText(`${at} flood ${at} `, 40) + '…',
        actual: escapeText(gotLine.slice(0, 40), 40) + (gotLine.length > 40 ? '…' : ''),
      });
    }
    peer.clear();
    peer.end();
  },
};
