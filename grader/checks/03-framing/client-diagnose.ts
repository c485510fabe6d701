// What lesson 3's client did wrong, named from what was observed: the frames it sent and the
// lines it printed, against the lines on its stdin and the replies the grader's server sent.
import { withFact, type Diagnosis } from '../check.ts';
import { HELD_REPLY_MS } from './client-plan.ts';
import { diagnoses } from './diagnoses.ts';
import { reversed } from './frames.ts';

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);

/** The mistake frame `index` shows, holding `got` instead of `line`; undefined for the check's own hint. */
export function diagnoseSentFrame(line: string, got: Buffer | undefined, index: number, onlyUnterminatedLastMissing = false): Diagnosis | undefined {
  if (!got) return onlyUnterminatedLastMissing ? diagnoses['drops-unterminated-last-line'] : undefined;
  if (got.equals(Buffer.from(`${line}\n`))) return diagnoses['frame-includes-newline'];
  const cuts = [line.trim(), line.trimStart(), line.trimEnd()].filter((cut) => cut !== line);
  if (cuts.some((cut) => got.equals(Buffer.from(cut)))) {
    return withFact(diagnoses['trims-lines'], `Line ${index + 1} lost its leading or trailing spaces or tabs.`);
  }
  if (Buffer.byteLength(line) !== line.length) {
    return withFact(
      diagnoses['length-in-characters'],
      `Line ${index + 1} has characters outside ASCII: "${line}" is ${line.length} characters but ${Buffer.byteLength(line)} bytes.`,
    );
  }
  return undefined;
}

export interface PrintedFacts {
  readonly lines: readonly string[];
  /** What the client should have printed: the reply payloads as UTF-8. */
  readonly expected: readonly string[];
  readonly printed: readonly string[];
  /** The first line that is wrong or missing. */
  readonly at: number;
  /** When the client's process exited, if it did. */
  readonly exitedAt: number | undefined;
  /** When the grader sent the held last reply, if it did. */
  readonly heldSentAt: number | undefined;
}

/** The printed line is the stdin line reversed, where the server answered something else. */
function computedReply({ lines, expected, printed, at }: PrintedFacts): Diagnosis | undefined {
  const got = printed[at];
  const line = lines[at];
  if (got === undefined || line === undefined || got === expected[at]) return undefined;
  if (got !== reversed(Buffer.from(line, 'utf8')).toString('utf8')) return undefined;
  return withFact(diagnoses['computes-reply'], `Line ${at + 1} is line ${at + 1} of stdin reversed, but the server answered something else.`);
}

/** The client was gone before the held last reply went out. */
function exitedBeforeLastReply({ expected, printed, at, exitedAt, heldSentAt }: PrintedFacts): Diagnosis | undefined {
  if (printed[at] !== undefined || exitedAt === undefined) return undefined;
  if (heldSentAt !== undefined && exitedAt >= heldSentAt) return undefined;
  const missing = expected.length - printed.length;
  return withFact(
    diagnoses['exits-before-last-reply'],
    `It exited with ${missing} ${plural(missing, 'reply', 'replies')} still to come: the server sent its last reply ${HELD_REPLY_MS / 1000} s after the last line, and the client was gone by then.`,
  );
}

/** The client printed some replies, then no more. */
function stoppedReading({ printed, at }: PrintedFacts): Diagnosis | undefined {
  if (printed[at] !== undefined || printed.length === 0) return undefined;
  return withFact(diagnoses['stops-reading-replies'], `It printed ${printed.length} ${plural(printed.length, 'reply', 'replies')} and then stopped.`);
}

/** Otherwise a line holds a piece of a reply, or several: chunks were printed as they came. */
function printedChunks({ expected, printed, at }: PrintedFacts): Diagnosis {
  const got = printed[at];
  const partial = got !== undefined && expected[at] !== undefined && got.length < expected[at]!.length;
  return withFact(diagnoses['prints-chunks'], `A line holds ${partial ? 'part of a reply' : 'something other than one reply'}.`);
}

/** The mistake the first wrong or missing printed line shows. */
export function diagnosePrintedLine(facts: PrintedFacts): Diagnosis {
  return computedReply(facts) ?? exitedBeforeLastReply(facts) ?? stoppedReading(facts) ?? printedChunks(facts);
}
