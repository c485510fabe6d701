// Lesson 3's client scenario where the grader's server cuts the conversation short: after 2 of
// 3 replies, inside a frame, or with a reply length above the limit (and the connection left
// open). The clients run at once and are judged in order.
import { escapeText } from '../../net/escape.ts';
import { describeExit, type ExitInfo, type RunningProgram } from '../../run/program.ts';
import { fail, type CheckContext, type Diagnosis } from '../check.ts';
import { scenario } from '../lesson.ts';
import { crashReport, exitWithin } from '../shared/exit.ts';
import { CLIENT } from './client-output.ts';
import { startClientAgainstFrameServer } from './connections.ts';
import { diagnoses } from './diagnoses.ts';
import type { FrameScript } from './frame-server.ts';
import { encodeFrame, PROTOCOL_MAX_FRAME_BYTES, reversed } from './frames.ts';

interface Truncation {
  readonly what: string;
  readonly script: (lines: readonly string[]) => FrameScript;
  /** The mistakes when the client is still running, or crashed, if this conversation has its own. */
  readonly stillRunning?: Diagnosis;
  readonly crashed?: Diagnosis;
}

/** A reply header one above the limit, and a little of its payload. */
function oversizedReply(): Buffer {
  const header = Buffer.alloc(4 + 16, 0x2a);
  header.writeUInt32BE(PROTOCOL_MAX_FRAME_BYTES + 1, 0);
  return header;
}

const truncations: readonly Truncation[] = [
  {
    what: 'answered 2 of 3 lines and then ended the connection',
    script: (lines) => ({ reply: (payload, i) => (i < lines.length - 1 ? encodeFrame(reversed(payload)) : Buffer.alloc(0)), endAfter: lines.length - 1 }),
  },
  {
    what: 'sent a header promising more bytes than followed, then ended the connection',
    script: (lines) => ({
      reply: (payload, i) => (i < lines.length - 1 ? encodeFrame(reversed(payload)) : encodeFrame(reversed(payload)).subarray(0, 4 + Math.floor(payload.length / 2))),
      endAfter: lines.length - 1,
    }),
  },
  {
    what: `sent a reply header of ${PROTOCOL_MAX_FRAME_BYTES + 1} bytes, one above the limit, and kept the connection open`,
    script: (lines) => ({ reply: (payload, i) => (i < lines.length - 1 ? encodeFrame(reversed(payload)) : oversizedReply()) }),
    stillRunning: diagnoses['client-waits-for-oversized-reply'],
    crashed: diagnoses['client-throws-on-oversized-reply'],
  },
];

interface TruncatedRun {
  readonly truncation: Truncation;
  readonly client: RunningProgram;
  readonly exit: ExitInfo | undefined;
}

/** Runs the client against a server that cuts the conversation short, and waits for its exit. */
async function runTruncated(context: CheckContext, truncation: Truncation, index: number): Promise<TruncatedRun> {
  const random = context.random(`client truncated ${index}`);
  const lines = Array.from({ length: 3 }, () => random.word(6, 20));
  const run = await startClientAgainstFrameServer(context, CLIENT, lines, { profile: 'mixed', purpose: `client truncated ${index}`, script: truncation.script(lines) });
  return { truncation, client: run.client, exit: await exitWithin(run.client, context.ms(5000)) };
}

/** Fails when the client did not report the truncated conversation. */
function judgeTruncated(context: CheckContext, { truncation, client, exit }: TruncatedRun): void {
  const stderr = client.stderr.text.trim();
  const crash = crashReport(client.stderr.text);
  const expected = 'an error line on stderr, then a non-zero exit code';
  if (!exit) {
    fail(`${CLIENT} was still running ${context.ms(5000) / 1000} s after the server ${truncation.what}`, { expected, actual: 'still running', diagnosis: truncation.stillRunning });
  }
  if (exit.code === 0 || stderr === '') {
    fail(`${CLIENT} ${describeExit(exit)}${stderr ? '' : ', printing nothing on stderr,'} after the server ${truncation.what}`, {
      expected,
      actual: `${describeExit(exit)}; stderr: ${escapeText(stderr || '(empty)', 60)}`,
      diagnosis: diagnoses['exits-zero-when-cut-short'],
    });
  }
  if (crash) {
    fail(`${CLIENT} crashed after the server ${truncation.what}: ${crash.trim()}`, {
      expected,
      actual: `an uncaught error: ${escapeText(crash.trim(), 60)}`,
      diagnosis: truncation.crashed ?? diagnoses['throws-when-cut-short'],
    });
  }
}

export const truncatedConversations = scenario('three runs of client.ts, each conversation cut short by the server', () => ({}), [
  {
    id: 'client-reports-truncation',
    title: 'client: exits non-zero with an error line when the server ends before every reply, or inside a frame, or sends a reply length above the limit',
    hint: 'On "end", compare: replies printed against lines sent, and bytes still buffered in the decoder. Any shortfall is an error: print it on stderr and exit non-zero. A reply length above MAX_FRAME_BYTES is one too, at once.',
    async run(context) {
      // Both run at once; they are judged in order, so the verdict does not depend on which ends first.
      const runs = await Promise.all(truncations.map((truncation, index) => runTruncated(context, truncation, index)));
      for (const run of runs) judgeTruncated(context, run);
    },
  },
]);
