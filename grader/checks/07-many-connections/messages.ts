// The messages of a run and the output the contract asks for: one line per connection in
// argument order, then the summary.
import type { Random } from '../../net/random.ts';

export const LIMIT = 4;

/** Distinct messages: the index keeps them apart, some have non-ASCII letters, one is longer (kept short enough to read in a report). */
export function makeMessages(random: Random, count: number, options: { readonly longAt?: number } = {}): string[] {
  const accents = ['ö', 'é', 'ü', 'ñ', '€'];
  return Array.from({ length: count }, (_, i) => {
    if (i === options.longAt) return `${i + 1}-${random.word(200, 300)}`;
    const word = random.word(3, 16);
    return random.chance(0.5) ? `${i + 1} ${word}${random.pick(accents)}${random.word(1, 6)}` : `${i + 1}-${word}`;
  });
}

export const okLine = (index: number, reply: string) => `#${index + 1} ok: ${JSON.stringify(reply)}`;
export const failedLine = (index: number, reason: string) => `#${index + 1} failed: ${reason}`;
export const summaryLine = (succeeded: number, total: number) => `${succeeded} of ${total} connections succeeded`;

/** A result line as printed: its number and what it says. */
export interface PrintedLine {
  readonly number: number;
  readonly ok: boolean;
  /** For ok: the JSON text after "ok: "; for failed: the reason. */
  readonly rest: string;
}

export function parseLine(line: string): PrintedLine | undefined {
  const match = /^#(\d+) (ok|failed): (.*)$/.exec(line);
  return match ? { number: Number(match[1]), ok: match[2] === 'ok', rest: match[3]! } : undefined;
}

/** The reply an ok line shows, when its JSON parses to a string. */
export function shownReply(line: PrintedLine): string | undefined {
  try {
    const value: unknown = JSON.parse(line.rest);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Shortens a long message for a report. */
export function brief(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${Buffer.byteLength(text)} bytes)`;
}
