// Judging what a UDP client printed: "msg 1" … "msg N", each once, in order. When it is
// wrong, the shape of the output says which mistake was made.
import { escapeText } from '../../net/escape.ts';
import { fail, type Diagnosis } from '../check.ts';
import { outputLines } from '../shared/exit.ts';
import { diagnoses } from './diagnoses.ts';

export interface Problem {
  readonly summary: string;
  readonly expected: string;
  readonly actual: string;
  readonly diagnosis?: Diagnosis;
}

export const expectedLines = (n: number) => Array.from({ length: n }, (_, i) => `msg ${i + 1}`);

const numberOf = (line: string) => Number(/^msg (\d+)$/.exec(line)?.[1] ?? NaN);

function shortList(lines: readonly string[], max = 8): string {
  const shown = lines.slice(0, max).map((line) => JSON.stringify(line)).join(', ');
  return lines.length > max ? `${shown}, … (${lines.length} lines)` : shown || '(nothing)';
}

/** The message a wrong output is about, so the check can show its story on the wire. */
export interface Judged extends Problem {
  readonly about?: string;
}

/** undefined when the output is exactly msg 1 … msg n; otherwise what is wrong with it. */
export function judgeOutput(stdout: string, n: number, file: string): Judged | undefined {
  const lines = outputLines(stdout).map((line) => line.replace(/\r$/, ''));
  const want = expectedLines(n);
  if (lines.length === want.length && lines.every((line, i) => line === want[i])) return undefined;
  const expected = `${n} lines: ${shortList(want, 3)}`;
  const actual = shortList(lines);
  if (stdout.includes('<Buffer')) {
    return {
      summary: `${file} printed Buffer objects instead of the echoed text`,
      expected,
      actual,
      diagnosis: diagnoses['prints-buffer-object'],
    };
  }
  const strange = lines.find((line) => !(numberOf(line) >= 1 && numberOf(line) <= n));
  if (strange !== undefined) {
    return {
      summary: `${file} printed ${escapeText(strange)}, which is not one of the echoes`,
      expected,
      actual,
      diagnosis: diagnoses['prints-other-text'],
    };
  }
  const seen = new Set(lines);
  const repeated = lines.find((line, i) => lines.indexOf(line) !== i);
  const missing = want.filter((line) => !seen.has(line));
  if (repeated && missing.length > 0) {
    return {
      summary: `${file} printed ${JSON.stringify(repeated)} more than once and never printed ${JSON.stringify(missing[0])}`,
      about: repeated,
      expected,
      actual,
      diagnosis: diagnoses['takes-stale-echo-as-answer'],
    };
  }
  if (repeated) {
    return {
      summary: `${file} printed ${JSON.stringify(repeated)} ${lines.filter((line) => line === repeated).length} times`,
      about: repeated,
      expected,
      actual,
      diagnosis: diagnoses['prints-duplicates'],
    };
  }
  const late = lines.findIndex((line, i) => i > 0 && numberOf(line) < numberOf(lines[i - 1]!));
  if (late > 0) {
    return {
      summary: `${file} printed ${JSON.stringify(lines[late])} after ${JSON.stringify(lines[late - 1])}`,
      about: lines[late],
      expected,
      actual,
      diagnosis: diagnoses['prints-in-arrival-order'],
    };
  }
  return {
    summary: `${file} printed ${lines.length} of the ${n} echoes; ${JSON.stringify(missing[0])} is missing`,
    about: missing[0],
    expected,
    actual,
  };
}

/** The first message not printed yet: the one the client is presumably waiting for. */
export function firstUnprinted(stdout: string, n: number): string | undefined {
  const printed = new Set(outputLines(stdout).map((line) => line.replace(/\r$/, '')));
  return expectedLines(n).find((line) => !printed.has(line));
}

/** Fails when a printed line is not the text of any echo the grader delivered to the client. */
export function expectPrintedWasDelivered(stdout: string, delivered: ReadonlySet<string>, file: string): void {
  const lines = outputLines(stdout).map((line) => line.replace(/\r$/, ''));
  const invented = lines.find((line) => !delivered.has(line));
  if (invented === undefined) return;
  fail(`${file} printed ${JSON.stringify(invented)}, but no datagram holding ${JSON.stringify(invented)} ever reached it`, {
    expected: 'each printed line the text of an echo that arrived',
    actual: `echoes that arrived: ${shortList([...delivered])}`,
    diagnosis: diagnoses['prints-expected-text'],
  });
}
