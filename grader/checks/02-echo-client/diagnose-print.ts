// Why the client printed something other than "Received: " and the whole answer, from what was
// seen: which part of the answer it printed, and when, against the pieces the grader sent.
import { withFact, type Diagnosis } from '../check.ts';
import { diagnoses } from './diagnoses.ts';
import type { FirstOutput } from './first-output.ts';
import type { ReplyProgress } from './reply-server.ts';

export interface PrintFacts {
  /** The client's stdout. */
  readonly printed: string;
  readonly message: string;
  /** The whole answer the grader meant to send. */
  readonly answer: Buffer;
  readonly progress: ReplyProgress;
  readonly output: FirstOutput;
  /** Output seen this long after a pause began is not the reaction to the piece before it. */
  readonly reactionMs: number;
}

/**
 * Every k (< answer.length) for which the printed text is the first k bytes of the answer,
 * decoded at once. Several when it ends in a cut character: 1, 2 or 3 bytes of one decode alike.
 */
function printedPrefixes(answer: Buffer, text: string): number[] {
  const found: number[] = [];
  for (let k = 0; k < answer.length; k++) if (answer.subarray(0, k).toString('utf8') === text) found.push(k);
  return found;
}

export function diagnosePrint(facts: PrintFacts): Diagnosis | undefined {
  const { printed, message, answer, progress, output } = facts;
  const lines = printed.split('\n').filter((line) => line !== '');
  if (lines.filter((line) => line.startsWith('Received:')).length > 1) return diagnoses['prints-every-chunk'];
  if (lines.length !== 1 || !printed.startsWith('Received: ') || !printed.endsWith('\n')) return undefined;
  const text = printed.slice('Received: '.length, -1);
  const prefixes = printedPrefixes(answer, text);
  if (prefixes.length > 0) {
    // The client can only have had whole pieces (or several at once): prefer a piece's end.
    const k = [...prefixes].reverse().find((n) => progress.pieceEnds.includes(n)) ?? prefixes[prefixes.length - 1]!;
    const during = progress.stops.find((stop) => output.at !== undefined && stop.ms >= 1000 && output.at > stop.startedAt + facts.reactionMs && output.at < (stop.endedAt ?? Infinity));
    if (during) {
      return withFact(diagnoses['prints-after-fixed-wait'], `It printed the ${k} bytes that had come ${((output.at! - during.startedAt) / 1000).toFixed(1)} s into a ${during.ms / 1000} s pause of the echo.`);
    }
    const utf16 = message.length;
    if (prefixes.includes(utf16) && utf16 !== Buffer.byteLength(message)) {
      return withFact(diagnoses['counts-utf16-units'], `It stopped after ${utf16} bytes; the message is ${Buffer.byteLength(message)} bytes in UTF-8.`);
    }
    if (prefixes.includes(progress.pieceEnds[0]!)) return diagnoses['prints-first-chunk'];
    return withFact(diagnoses['prints-part'], `It printed when ${k} of the ${answer.length} bytes had come.`);
  }
  if (text.includes('\uFFFD') && !answer.toString('utf8').includes('\uFFFD')) {
    return diagnoses['decodes-each-chunk'];
  }
  return undefined;
}
