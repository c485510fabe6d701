// The machine-readable result of `grade --json`. Version 2 of the schema documented in
// grader/README.md; its shape follows the autograding reporters' { version, status, tests }.
import type { CheckResult, LessonResult } from '../grade.ts';
import { formatTranscript } from '../net/transcript.ts';

/** 2 added `diagnosis` to failed checks. */
export const JSON_SCHEMA_VERSION = 2;

export interface JsonCheck {
  readonly name: string;
  readonly id: string;
  readonly status: 'pass' | 'fail' | 'skip' | 'error';
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly hint?: string;
  /** On a failed check: the id of the mistake recognised, or null when only the general hint applies. */
  readonly diagnosis?: string | null;
  readonly transcript: readonly string[];
  readonly output: string;
  readonly duration_ms: number;
}

export interface JsonResult {
  readonly version: typeof JSON_SCHEMA_VERSION;
  readonly status: 'pass' | 'fail' | 'error';
  readonly lesson: { readonly number: number; readonly slug: string; readonly title: string };
  readonly seed: number;
  readonly host: string;
  readonly duration_ms: number;
  readonly score: number;
  readonly max_score: number;
  readonly tests: readonly JsonCheck[];
}

function outputText(check: CheckResult): string {
  return check.outputs
    .map((output) => `${output.label} (${output.ending})\n--- stdout\n${output.stdout}--- stderr\n${output.stderr}`)
    .join('\n');
}

function toJsonCheck(check: CheckResult): JsonCheck {
  return {
    name: check.title,
    id: check.id,
    status: check.status,
    message: check.failure?.summary ?? check.error ?? check.skipReason ?? '',
    expected: check.failure?.expected,
    actual: check.failure?.actual,
    hint: check.failure?.hint,
    diagnosis: check.status === 'fail' ? (check.failure?.diagnosis ?? null) : undefined,
    transcript: formatTranscript(check.transcript, 200),
    output: outputText(check),
    duration_ms: Math.round(check.durationMs),
  };
}

export function toJsonResult(result: LessonResult): JsonResult {
  const tests = result.checks.map(toJsonCheck);
  return {
    version: JSON_SCHEMA_VERSION,
    status: result.status,
    lesson: { number: result.lesson.number, slug: result.lesson.slug, title: result.lesson.title },
    seed: result.seed,
    host: result.host,
    duration_ms: Math.round(result.durationMs),
    score: tests.filter((test) => test.status === 'pass').length,
    // Checks that cannot run on this machine are not counted.
    max_score: result.checks.filter((check) => check.id !== 'cleanup' && !check.skipReason).length,
    tests,
  };
}
