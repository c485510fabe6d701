// Judging what a UDP client printed: "msg 1" … "msg N", each once, in order. When it is
// wrong, the shape of the output says which mistake was made.
import { escapeText } from '../../net/escape.ts';
import { fail } from '../check.ts';
import { outputLines } from '../shared/exit.ts';

export interface Problem {
  readonly summary: string;
  readonly expected: string;
  readonly actual: string;
  readonly hint: string;
}

export const expectedLines = (n: number) => Array.from({ length: n }, (_, i) => `msg ${i + 1}`);

const numberOf = (line: string) => Number(/^msg (\d+)$/.exec(line)?.[1] ?? NaN);

function shortList(lines: readonly string[], max = 8): string {
  const shown = lines.slice(0, max).map((line) => JSON.stringify(line)).join(', ');
  return lines.length > max ? `${shown}, … (${lines.length} lines)` : shown || '(nothing)';
}

export const HINT_DUPLICATES =
  'The same echo can arrive more than once: the network may duplicate a datagram, and every copy you sent (the retransmissions too) is echoed. Print "msg k" only the first time its echo arrives: in stop-and-wait, only when it equals the message you are waiting for.';
export const HINT_NEXT_IS_NOT_MINE =
  'A late or duplicated echo of an earlier message was taken as the answer to the message being waited for, so that message was skipped. An arriving datagram is not necessarily the reply to your last send: compare it with the message you are waiting for and ignore anything else.';
export const HINT_ORDER =
  'Datagrams are not kept in order: with several messages in flight, their echoes arrive in any order. Print in sequence order: hold an early echo until every message before it has been printed.';

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
      hint: 'console.log(reply) prints a Buffer as <Buffer 6d 73 67 …>. Print its text: console.log(reply.toString()).',
    };
  }
  const strange = lines.find((line) => !(numberOf(line) >= 1 && numberOf(line) <= n));
  if (strange !== undefined) {
    return {
      summary: `${file} printed ${escapeText(strange)}, which is not one of the echoes`,
      expected,
      actual,
      hint: 'Print each echo as it came back, one per line and nothing else: "msg 1", "msg 2", …',
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
      hint: HINT_NEXT_IS_NOT_MINE,
    };
  }
  if (repeated) {
    return {
      summary: `${file} printed ${JSON.stringify(repeated)} ${lines.filter((line) => line === repeated).length} times`,
      about: repeated,
      expected,
      actual,
      hint: HINT_DUPLICATES,
    };
  }
  const late = lines.findIndex((line, i) => i > 0 && numberOf(line) < numberOf(lines[i - 1]!));
  if (late > 0) {
    return {
      summary: `${file} printed ${JSON.stringify(lines[late])} after ${JSON.stringify(lines[late - 1])}`,
      about: lines[late],
      expected,
      actual,
      hint: HINT_ORDER,
    };
  }
  return {
    summary: `${file} printed ${lines.length} of the ${n} echoes; ${JSON.stringify(missing[0])} is missing`,
    about: missing[0],
    expected,
    actual,
    hint: 'Print every echo, in order, and only exit once the last message has been answered.',
  };
}

/** The first message not printed yet: the one the client is presumably waiting for. */
export function firstUnprinted(stdout: string, n: number): string | undefined {
  const printed = new Set(outputLines(stdout).map((line) => line.replace(/\r$/, '')));
  return expectedLines(n).find((line) => !printed.has(line));
}

export const HINT_PRINTED_EXPECTED =
  'A datagram that was not the echo of the message in flight (here a late duplicate of an earlier echo) was taken as its answer, and the text you expected was printed instead of the reply that came. Print the reply\'s own text, and only when it equals the message you are waiting for; ignore anything else and keep retransmitting.';

/** Fails when a printed line is not the text of any echo the grader delivered to the client. */
export function expectPrintedWasDelivered(stdout: string, delivered: ReadonlySet<string>, file: string): void {
  const lines = outputLines(stdout).map((line) => line.replace(/\r$/, ''));
  const invented = lines.find((line) => !delivered.has(line));
  if (invented === undefined) return;
  fail(`${file} printed ${JSON.stringify(invented)}, but no datagram holding ${JSON.stringify(invented)} ever reached it`, {
    expected: 'each printed line the text of an echo that arrived',
    actual: `echoes that arrived: ${shortList([...delivered])}`,
    hint: HINT_PRINTED_EXPECTED,
  });
}
