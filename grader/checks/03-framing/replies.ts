// Waiting for a server's reply frames and failing with what was wrong about them.
import type { TcpPeer } from '../../net/tcp-peer.ts';
import type { FragmentingProxy } from '../../net/fragmenting-proxy.ts';
import { formatDuration, QUIET_MS, scaled, untilDoneOrStalled } from '../../run/deadline.ts';
import { describeExit, type RunningProgram } from '../../run/program.ts';
import { fail, withFact, type Diagnosis } from '../check.ts';
import { crashReport, exitWithin } from '../shared/exit.ts';
import { diagnoses } from './diagnoses.ts';
import { compareReplies, PROTOCOL_MAX_FRAME_BYTES, repliesGoneWrong, reversed, wireBytes, type ReplyMismatch } from './frames.ts';

/** How long a server that closed the connection is given to show it crashed. */
const CRASH_EXIT_MS = 500;

export interface ReplyExpectation {
  readonly server: RunningProgram;
  readonly peer: TcpPeer;
  /** The payloads sent on this connection, in order. */
  readonly sent: readonly Buffer[];
  /** "20 frames sent in one write": what the replies are for. */
  readonly what: string;
  readonly deadlineMs: number;
  /** The proxy between the grader and the server, if any: bytes it still passes on are progress. */
  readonly via?: FragmentingProxy;
  /** The mistake when the server crashed with an uncaught error. */
  readonly crashDiagnosis?: Diagnosis;
  /** The mistake when nothing in the bytes points at a more precise one. */
  readonly diagnosis?: Diagnosis;
  /** The mistake for any mismatch: this check's set-up leaves one cause. */
  readonly onlyCause?: Diagnosis;
}

/**
 * A server that reads a length as counting its own 4 bytes takes the last 4 bytes of a payload
 * for the next frame's length, and when that is above the limit, logs it as a refused frame.
 */
function refusedPayloadTail(server: RunningProgram, sent: readonly Buffer[]): Diagnosis | undefined {
  for (const payload of sent) {
    if (payload.length < 4) continue;
    const tail = payload.readUInt32BE(payload.length - 4);
    if (tail <= PROTOCOL_MAX_FRAME_BYTES) continue;
    // Logged as read, or less the 4 header bytes it believes the length counts.
    const logged = [tail, tail - 4].find((length) => new RegExp(`(^|\\D)${length}(\\D|$)`).test(server.stderr.text));
    if (logged !== undefined) {
      return withFact(diagnoses['length-counts-header'], `It logged a length of ${logged}: the last 4 bytes of a payload, read as the next frame's length.`);
    }
  }
  return undefined;
}

/** The mistake named: a crash's, this set-up's only cause, what the bytes show, or the check's likely one. */
function chooseDiagnosis(expectation: ReplyExpectation, mismatch: ReplyMismatch, crashed: boolean): Diagnosis | undefined {
  if (crashed && expectation.crashDiagnosis) return expectation.crashDiagnosis;
  return expectation.onlyCause ?? mismatch.diagnosis ?? refusedPayloadTail(expectation.server, expectation.sent) ?? expectation.diagnosis;
}

/**
 * Whether the replies so far already went wrong (a whole wrong frame, or one too many), which no
 * more waiting can mend; looked at again only when more bytes came.
 */
function wrongSoFar(peer: TcpPeer, sent: readonly Buffer[]): () => boolean {
  const expected = sent.map(reversed);
  let seen = -1;
  let wrong = false;
  return () => {
    if (peer.receivedBytes === seen) return wrong;
    seen = peer.receivedBytes;
    try {
      wrong = repliesGoneWrong(expected, peer.data());
    } catch {
      // More came than the window keeps: the data() after the wait fails the check, naming the sizes.
      wrong = true;
    }
    return wrong;
  };
}

/** Resolves once every reply came back right; fails naming the first wrong one otherwise. */
export async function expectReplies(expectation: ReplyExpectation): Promise<void> {
  const { server, peer, sent, what, deadlineMs } = expectation;
  // Bytes the check already looked at and cleared do not count.
  const want = wireBytes(sent) + peer.receivedBytes - peer.window.total;
  const goneWrong = wrongSoFar(peer, sent);
  const done = () => peer.receivedBytes >= want || peer.gotEnd || peer.closed || !server.running || goneWrong();
  const { via } = expectation;
  const stallMs = scaled(QUIET_MS);
  const waited = await untilDoneOrStalled(done, () => peer.receivedBytes + (via?.bytesPassed ?? 0), { deadlineMs, stallMs });
  // WindowExceededError (a failed check) if far more came back than the window keeps.
  const got = peer.data();
  const mismatch = compareReplies(sent, got);
  if (!mismatch) return;
  // A server that crashed closes the connection a moment before its exit is seen: wait for that
  // exit, so a crash is named the same way whichever the grader notices first.
  if (server.running && (peer.gotEnd || peer.closed)) await exitWithin(server, CRASH_EXIT_MS);
  const crash = server.running ? undefined : crashReport(server.stderr.text);
  const quiet = waited === 'stalled' ? `; no byte came for ${formatDuration(stallMs)}, so the grader stopped waiting` : '';
  const ended = server.running ? (peer.error ? `; the connection was reset (${peer.error.code})` : peer.gotEnd || peer.closed ? '; then the connection closed' : quiet) : `; ${server.label} ${describeExit(server.exit!)}${crash ? ` after an uncaught error: ${crash.trim()}` : ''}`;
  fail(`${what}: ${mismatch.summary}${ended}`, {
    expected: mismatch.expected,
    actual: mismatch.actual,
    diagnosis: chooseDiagnosis(expectation, mismatch, crash !== undefined),
  });
}
