// Lesson 3's main client scenario: one run of client.ts against the grader's framing server
// behind the proxy (client-plan.ts): the frames it sends, the lines it prints, how it exits.
import { escapeText } from '../../net/escape.ts';
import { formatDuration, QUIET_MS, untilDoneOrStalled } from '../../run/deadline.ts';
import { fail } from '../check.ts';
import { need, scenario } from '../lesson.ts';
import { expectCleanExit, expectExit } from '../shared/exit.ts';
import { diagnosePrintedLine, diagnoseSentFrame } from './client-diagnose.ts';
import { CLIENT, printedLines } from './client-output.ts';
import { HELD_REPLY_MS, planClientRun, type ClientPlan } from './client-plan.ts';
import { startClientAgainstFrameServer, type ClientRun } from './connections.ts';
import { diagnoses } from './diagnoses.ts';
import { showPayload } from './frames.ts';

interface MainClientRun {
  readonly plan: ClientPlan;
  readonly run: ClientRun;
  /** When the client's process exited (Date.now()). */
  readonly exitedAt: Promise<number>;
}

interface ClientSession {
  /** Set by "client-sends-frames". */
  main?: MainClientRun;
}

/** While the grader itself still holds the last reply, the silence is its own, not the client's: a count that keeps moving. */
const holding = (run: ClientRun) => (run.connection.holdingReply ? Date.now() : 0);

const mainRun = (session: ClientSession) => need(session.main, 'the client started by "client-sends-frames"');

export const clientRun = scenario('one run of client.ts, its lines answered cut up, two not reversed, the last one late', (): ClientSession => ({}), [
  {
    id: 'client-sends-frames',
    title: 'client: sends each line of stdin as one frame of its UTF-8 bytes',
    hint: 'For each line (without its newline), send a 4-byte big-endian length of its UTF-8 bytes, then those bytes: encode first (Buffer.from(line)), then take .length.',
    async run(context, session) {
      const plan = planClientRun(context.random('client lines'));
      const run = await startClientAgainstFrameServer(context, CLIENT, plan.lines, { profile: { up: 'coalesce', down: 'mixed' }, script: plan.script, lastLineUnterminated: true });
      session.main = { plan, run, exitedAt: run.client.exited.then(() => Date.now()) };
      const { client, connection } = run;
      const expected = plan.lines.map((line) => Buffer.from(line, 'utf8'));
      // A whole frame that is wrong is the verdict already: frames come in order.
      const goneWrong = () => connection.frames.some((frame, i) => i >= expected.length || !frame.equals(expected[i]!));
      const finished = () => connection.frames.length >= expected.length || !client.running || connection.peer.gotEnd || connection.peer.closed;
      await untilDoneOrStalled(() => finished() || goneWrong(), () => run.proxy.bytesPassed + holding(run), { deadlineMs: context.ms(8000), stallMs: context.ms(QUIET_MS) });
      for (let i = 0; i < expected.length; i++) {
        const got = connection.frames[i];
        if (got && got.equals(expected[i]!)) continue;
        fail(got ? `frame ${i + 1} from ${CLIENT} does not hold line ${i + 1}` : `${CLIENT} sent ${connection.frames.length} whole frames for ${expected.length} lines`, {
          expected: `frame ${i + 1}: ${showPayload(expected[i]!)}`,
          actual: got
            ? `frame ${i + 1}: ${showPayload(got)}`
            : `${connection.frames.length} frames, then ${connection.pending.length} bytes that do not make a whole frame${connection.pending.length ? `: ${escapeText(connection.pending.toString('latin1'), 24)}` : ''}`,
          diagnosis: diagnoseSentFrame(plan.lines[i]!, got, i, i === expected.length - 1 && connection.frames.length === i),
        });
      }
    },
  },
  {
    id: 'client-prints-replies',
    title: 'client: prints every reply as one line, in order, though replies arrive cut up and run together',
    hint: 'Keep a buffer of what the socket delivered; print a reply only when its whole frame (4 + length bytes) is there, and loop, since one chunk can hold several replies.',
    async run(context, session) {
      const { plan, run, exitedAt } = mainRun(session);
      const { client } = run;
      const expected = plan.replies.map((reply) => reply.toString('utf8'));
      const stallMs = context.ms(QUIET_MS);
      const { lines: printed, stalled } = await printedLines(client, expected, { deadlineMs: context.ms(10_000) + HELD_REPLY_MS, stallMs, progress: () => run.proxy.bytesPassed + holding(run) });
      const wrongAt = expected.findIndex((line, i) => printed[i] !== line);
      if (wrongAt === -1 && printed.length === expected.length) return;
      const at = wrongAt === -1 ? expected.length : wrongAt;
      const exited = client.running ? undefined : await exitedAt;
      const diagnosis = diagnosePrintedLine({ lines: plan.lines, expected, printed, at, exitedAt: exited, heldSentAt: run.connection.heldSentAt });
      fail(wrongAt === -1 ? `${CLIENT} printed ${printed.length} lines for ${expected.length} replies` : `line ${at + 1} printed by ${CLIENT} is not reply ${at + 1}`, {
        expected: wrongAt === -1 ? `${expected.length} lines` : `line ${at + 1}: ${escapeText(expected[at]!, 60)}`,
        actual: printed[at] === undefined ? `${printed.length} lines, then nothing${client.running ? (stalled ? ` for ${formatDuration(stallMs)} after the last reply byte reached it` : '') : ` (it ${client.exit ? `exited with code ${client.exit.code}` : 'exited'})`}` : `line ${at + 1}: ${escapeText(printed[at]!, 60)}`,
        diagnosis,
      });
    },
  },
  {
    id: 'client-exits-zero',
    title: 'client: closes the connection and exits with code 0 after the last reply',
    hint: 'Count the frames you sent; once stdin has ended and every reply is printed, call socket.end(). The server then ends its side and the process exits.',
    async run(context, session) {
      const { client, connection } = mainRun(session).run;
      const exit = await expectExit(client, context.ms(5000), 'its last reply arrived').catch((error: unknown) => {
        if (!connection.peer.gotEnd && !connection.peer.closed) {
          fail(`${CLIENT} printed every reply but never closed the connection, so it is still running`, {
            expected: 'socket.end() after the last reply, then exit code 0',
            actual: 'the connection is still open',
            diagnosis: diagnoses['client-never-ends'],
          });
        }
        throw error;
      });
      expectCleanExit(client, exit);
    },
  },
]);
