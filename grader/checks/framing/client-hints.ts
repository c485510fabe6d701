// What lesson 3's client did wrong, named from what was observed: the frames it sent and the
// lines it printed, against the lines on its stdin and the replies the grader's server sent.
import { HELD_REPLY_MS } from './client-plan.ts';
import { reversed } from './frames.ts';

/** The hint for frame `index` holding `got` instead of `line`, or undefined for the check's own. */
export function sentFrameHint(line: string, got: Buffer | undefined, index: number): string | undefined {
  if (!got) return undefined;
  if (got.equals(Buffer.from(`${line}\n`))) return 'The frame includes the newline. Send the line without it: readline gives lines without "\\n".';
  const cuts = [line.trim(), line.trimStart(), line.trimEnd()].filter((cut) => cut !== line);
  if (cuts.some((cut) => got.equals(Buffer.from(cut)))) {
    return `Line ${index + 1} lost its leading or trailing spaces or tabs: it was trimmed before it was sent. A message is every byte of the line but the newline; send it as readline gives it, without trim().`;
  }
  if (Buffer.byteLength(line) !== line.length) {
    return `Line ${index + 1} has characters outside ASCII: "${line}" is ${line.length} characters but ${Buffer.byteLength(line)} bytes. The length prefix counts bytes: Buffer.from(line) first, then its .length.`;
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

/** The hint for the first wrong or missing printed line. */
export function printedLineHint(facts: PrintedFacts): string {
  const { lines, expected, printed, at, exitedAt, heldSentAt } = facts;
  const got = printed[at];
  const line = lines[at];
  if (got !== undefined && line !== undefined && got !== expected[at] && got === reversed(Buffer.from(line, 'utf8')).toString('utf8')) {
    return `Line ${at + 1} is line ${at + 1} of stdin reversed, but the server answered something else: the client computed the answer instead of printing the reply. Print the bytes of each reply frame as they came over the wire.`;
  }
  if (got === undefined && exitedAt !== undefined && (heldSentAt === undefined || exitedAt < heldSentAt)) {
    return `It exited with ${expected.length - printed.length} repl${expected.length - printed.length === 1 ? 'y' : 'ies'} still to come: the server sent its last reply ${HELD_REPLY_MS / 1000} s after the last line, and the client was gone by then. A fixed wait (or a destroy) after stdin ends loses slow replies: end the connection once every line's reply is printed, however long that takes.`;
  }
  if (got === undefined && printed.length > 0) {
    return `It printed ${printed.length} repl${printed.length === 1 ? 'y' : 'ies'} and then stopped. Keep handling "data" for the whole connection, and after each reply look for the next one in what is buffered.`;
  }
  const partial = got !== undefined && expected[at] !== undefined && got.length < expected[at]!.length;
  return `A line holds ${partial ? 'part of a reply' : 'something other than one reply'}: printing what one "data" event brought prints pieces of replies, or several run together. Print a reply once its 4 + length bytes are buffered, and loop for the next.`;
}
