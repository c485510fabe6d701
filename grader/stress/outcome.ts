// One grading reduced to what must not vary between runs: the first check that did not
// pass, and whether its hint still names the expected mistake.
import type { LessonResult } from '../grade.ts';

const SHOWN_HINT = 80;

export function outcomeOf(result: LessonResult, expectedHint?: RegExp): string {
  const first = result.checks.find((check) => check.status !== 'pass');
  if (!first) return 'pass';
  const at = `${first.status} at ${first.id}`;
  const hint = first.failure?.hint ?? '';
  if (!expectedHint || expectedHint.test(hint)) return at;
  const shown = hint.length > SHOWN_HINT ? `${hint.slice(0, SHOWN_HINT)}…` : hint;
  return `${at} with another hint ${JSON.stringify(shown)}`;
}
