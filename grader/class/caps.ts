// Bounds what one student's grading may put into class-report.json. The result is parsed from a
// child grader's stdout and quotes the student's program, so it is untrusted: without caps one
// program printing 50 MB (or a forged result with a million tests) makes the class report too
// long for a JavaScript string, and JSON.stringify throws after everyone has been graded.
//
// Lengths are counted as JSON writes them (a control character costs six, "\u0001"), and a row
// has a total budget, so a capped row serialises to under about 320 KiB whatever it held:
// 100 students × 8 lessons stay well below V8's limit of 2^29 - 24 characters.
import { JSON_SCHEMA_VERSION, type JsonCheck, type JsonResult } from '../report/json.ts';

export const FIELD_CHARS = 4096;
export const TRANSCRIPT_LINES = 100;
export const LINE_CHARS = 300;
const MAX_TESTS = 32; // lesson 3, the longest, has 14 checks and a cleanup entry
const ROW_CHARS = 256 * 1024;
const LINE_OVERHEAD = 16; // a transcript line's indent, quotes and comma in the indented report

/** Characters still allowed in the row being capped. */
interface Budget {
  left: number;
}

/** What one UTF-16 unit costs inside a JSON string. */
function jsonCost(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code < 0x20) return code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6;
  if (code === 0x22 || code === 0x5c) return 2;
  if (code >= 0xd800 && code <= 0xdfff) {
    const paired = code <= 0xdbff ? isLow(text.charCodeAt(i + 1)) : isHigh(text.charCodeAt(i - 1));
    return paired ? 1 : 6; // a lone surrogate is written as \udxxx
  }
  return 1;
}
const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** `value` as text of at most `max` serialised characters, saying how much was cut. */
export function capText(value: unknown, max = FIELD_CHARS, budget: Budget = { left: Infinity }): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  const limit = Math.max(0, Math.min(max, budget.left));
  let cost = 0;
  let end = 0;
  for (; end < text.length; end++) {
    const next = jsonCost(text, end);
    if (cost + next > limit) break;
    cost += next;
  }
  if (end > 0 && end < text.length && isHigh(text.charCodeAt(end - 1))) end--; // never split a pair
  const cut = end === text.length ? text : `${text.slice(0, end)}… (cut: ${text.length - end} more characters)`;
  budget.left -= cost + (cut.length - end);
  return cut;
}

function capOptional(value: unknown, budget: Budget): string | undefined {
  return value === undefined ? undefined : capText(value, FIELD_CHARS, budget);
}

/** The last lines of a transcript, as many as the caps and the row's budget allow. */
function capTranscript(value: unknown, budget: Budget): string[] {
  const lines = Array.isArray(value) ? (value as unknown[]) : [];
  const kept: string[] = [];
  // From the end: the last events are the ones that show how the check failed.
  for (let i = lines.length - 1; i >= 0 && kept.length < TRANSCRIPT_LINES - 1 && budget.left > 0; i--) {
    kept.unshift(capText(lines[i], LINE_CHARS, budget));
    budget.left -= LINE_OVERHEAD;
  }
  const dropped = lines.length - kept.length;
  return dropped > 0 ? [`… ${dropped} earlier lines cut`, ...kept] : kept;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

const DIAGNOSIS_ID = /^[a-z0-9][a-z0-9-]{0,79}$/;

/** A diagnosis id as the grader writes them; anything else is dropped. */
function diagnosisId(value: unknown): string | null | undefined {
  if (value === null) return null;
  return typeof value === 'string' && DIAGNOSIS_ID.test(value) ? value : undefined;
}

function capCheck(test: Partial<JsonCheck>, budget: Budget): JsonCheck {
  return {
    name: capText(test.name, LINE_CHARS),
    id: capText(test.id, LINE_CHARS),
    status: oneOf(test.status, ['pass', 'fail', 'skip', 'error'], 'error'),
    message: capText(test.message, FIELD_CHARS, budget),
    expected: capOptional(test.expected, budget),
    actual: capOptional(test.actual, budget),
    hint: capOptional(test.hint, budget),
    diagnosis: diagnosisId(test.diagnosis),
    transcript: capTranscript(test.transcript, budget),
    output: capText(test.output, FIELD_CHARS, budget),
    duration_ms: count(test.duration_ms),
  };
}

/**
 * A copy of `result` small enough for the class report: only the documented fields, each string
 * of each test cut to 4 KiB, each transcript to 100 lines of 300 characters.
 */
export function capRowResult(parsed: JsonResult): JsonResult {
  const budget: Budget = { left: ROW_CHARS };
  const result: Partial<JsonResult> = parsed ?? {};
  const tests: readonly Partial<JsonCheck>[] = Array.isArray(result.tests) ? result.tests : [];
  const lesson: Partial<JsonResult['lesson']> = result.lesson ?? {};
  return {
    version: JSON_SCHEMA_VERSION, // the runner parsed it as this version
    status: oneOf(result.status, ['pass', 'fail', 'error'], 'error'),
    lesson: { number: count(lesson.number), slug: capText(lesson.slug, LINE_CHARS), title: capText(lesson.title, LINE_CHARS) },
    seed: count(result.seed),
    host: capText(result.host, LINE_CHARS),
    duration_ms: count(result.duration_ms),
    score: count(result.score),
    max_score: count(result.max_score),
    tests: tests.slice(0, MAX_TESTS).map((test) => capCheck(test ?? {}, budget)),
  };
}
