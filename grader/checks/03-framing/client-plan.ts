// The conversation of lesson 3's main client run: the lines on stdin and what the grader's
// server answers. Lines with leading and trailing spaces and tabs catch a client that trims;
// two replies are not the reverse of their line, so only a client that prints what came over
// the wire prints them; the last reply is held back for longer than any fixed wait after stdin.
import type { Random } from '../../net/random.ts';
import type { FrameScript } from './frame-server.ts';
import { encodeFrame, reversed } from './frames.ts';

/** How long the grader's server holds the reply to the last line. */
export const HELD_REPLY_MS = 2000;

export interface ClientPlan {
  readonly lines: readonly string[];
  /** The payload of each reply the server sends, in order. */
  readonly replies: readonly Buffer[];
  /** Lines whose reply is not the line reversed. */
  readonly notReversed: ReadonlySet<number>;
  readonly script: FrameScript;
}

export function planClientRun(random: Random): ClientPlan {
  const word = () => random.word(1, 30);
  const lines = [
    ...Array.from({ length: 5 }, word),
    `  ${random.word(3, 12)}`,
    `${random.word(3, 12)}\t`,
    `\t${random.word(3, 12)} ${random.word(3, 12)}  `,
    '',
    'grüße, wörld ✓',
    ...Array.from({ length: 5 }, word),
  ];
  const first = random.int(0, 2);
  const notReversed = new Set([first, first + 2]);
  const replies = lines.map((line, i) => (notReversed.has(i) ? Buffer.from(`${random.word(4, 10)} ${random.word(4, 10)}`) : reversed(Buffer.from(line, 'utf8'))));
  const script: FrameScript = {
    reply: (payload, index) => encodeFrame(replies[index] ?? reversed(payload)),
    hold: { index: lines.length - 1, ms: HELD_REPLY_MS },
  };
  return { lines, replies, notReversed, script };
}
