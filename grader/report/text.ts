// Turns grading results into the text a learner reads. Only this file words a failure.
import type { Lesson } from '../../lessons/course.ts';
import { BUILT_IN_CHECKS, type CheckResult, type LessonResult } from '../grade.ts';
import { formatDuration } from '../run/deadline.ts';
import { formatTranscript } from '../net/transcript.ts';
import type { Paint } from './paint.ts';

export interface Repro {
  readonly lesson: Lesson;
  readonly seed: number;
  /** Extra arguments that chose what was graded: --solution or --dir PATH. */
  readonly source: readonly string[];
}

/**
 * Text with every control character shown as an escape (\x1b, \n, \r), tab excepted: C0, DEL
 * and C1 (U+0080–U+009F, which some terminals read as ESC sequences). A learner's program must
 * not be able to clear the screen, recolour, move the cursor or overwrite a line of the report.
 */
export function escapeControl(text: string): string {
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/g, (char) =>
    char === '\n' ? '\\n' : char === '\r' ? '\\r' : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** Each line escaped; the line breaks themselves (\n or \r\n) stay line breaks. */
function escapeLines(text: string): string {
  return text.split(/\r?\n/).map(escapeControl).join('\n');
}

function gradeCommandLine(lesson: Lesson, args: readonly string[]): string {
  // JSON.stringify escapes C0 but leaves DEL and C1 as they are.
  const shown = args.map((arg) => (/^[\w./:=@-]+$/.test(arg) ? arg : escapeControl(JSON.stringify(arg))));
  return `npm run grade lesson-${lesson.number} -- ${shown.join(' ')}`;
}

export function reproCommand({ lesson, seed, source }: Repro): string {
  return gradeCommandLine(lesson, [...source, '--seed', String(seed)]);
}

export function lessonHeader(lesson: Lesson, dir: string, paint: Paint): string {
  return `${paint('bold', `Lesson ${lesson.number}: ${lesson.title}`)} ${paint('dim', `(${escapeControl(dir)})`)}`;
}

export function checkLine(result: CheckResult, paint: Paint): string {
  const took = paint('dim', ` (${formatDuration(result.durationMs)})`);
  switch (result.status) {
    case 'pass':
      return `  ${paint('green', '✓')} ${result.title}${took}`;
    case 'fail':
      return `  ${paint('red', '✗')} ${result.title}${took}`;
    case 'error':
      return `  ${paint('yellow', '!')} ${result.title}: the grader itself failed${took}`;
    case 'skip':
      return paint('dim', result.skipReason ? `  - ${result.title} (skipped: ${result.skipReason})` : `  - ${result.title} (not run: fix the failure above first)`);
  }
}

function indent(lines: readonly string[], prefix = '      '): string[] {
  return lines.map((line) => `${prefix}${line}`);
}

/** The end of a program's output, each line cut short and its control characters escaped. */
function lastLines(text: string, count = 15, width = 200): string[] {
  const all = text.trimEnd().split(/\r?\n/);
  const shown = all.slice(-count).map((line) => {
    const start = escapeControl(line.slice(0, width));
    return line.length > width ? `${start}… (+${line.length - width} characters)` : start;
  });
  return all.length > count ? [`… ${all.length - count} lines before these omitted`, ...shown] : shown;
}

function outputBlock(result: CheckResult): string[] {
  const lines: string[] = [];
  for (const output of result.outputs) {
    lines.push(`${output.label} (${output.ending})${output.truncated ? ', output cut at the cap' : ''}:`);
    const stdout = lastLines(output.stdout);
    const stderr = lastLines(output.stderr);
    if (output.stdout.trim()) lines.push(...stdout.map((line) => `  stdout | ${line}`));
    if (output.stderr.trim()) lines.push(...stderr.map((line) => `  stderr | ${line}`));
    if (!output.stdout.trim() && !output.stderr.trim()) lines.push('  (printed nothing)');
  }
  if (result.otherRuns) lines.push(`(${result.otherRuns} more run${result.otherRuns === 1 ? '' : 's'}, of other scenarios, not shown)`);
  return lines;
}

/** The full story of one failed check: what was seen, the wire, the output, the hint, the repro. */
export function failureBlock(result: CheckResult, repro: Repro, paint: Paint): string[] {
  if (result.status === 'error') {
    return [
      ...indent([paint('yellow', 'This is a bug in the grader, not in your program. Please report it with:')]),
      ...indent((result.error ?? '').split('\n').slice(0, 12).map(escapeControl)),
      ...indent([`reproduce: ${reproCommand(repro)}`]),
    ];
  }
  const failure = result.failure;
  if (!failure) return [];
  // Summary, expected and actual may quote the program's own bytes.
  const lines: string[] = [paint('red', escapeLines(failure.summary))];
  // A field of several lines (a code frame) continues under its first line, indented alike.
  const field = (label: string, text: string) => escapeLines(text).split('\n').map((line, i) => `${i === 0 ? label : ' '.repeat(label.length)}${line}`);
  if (failure.expected !== undefined) lines.push(...field('expected: ', failure.expected));
  if (failure.actual !== undefined) lines.push(...field('actual:   ', failure.actual));
  if (result.transcript.length) lines.push('', 'On the wire (grader side):', ...indent(formatTranscript(result.transcript).map(escapeControl), '  '));
  const output = outputBlock(result);
  if (output.length) lines.push('', 'Your program:', ...indent(output, '  '));
  lines.push('', `${paint('cyan', 'Hint:')} ${escapeLines(failure.hint)}`);
  lines.push(`${paint('dim', 'Reproduce:')} ${reproCommand(repro)}`);
  if (!repro.source.includes('--check') && !BUILT_IN_CHECKS.has(result.id)) {
    lines.push(`${paint('dim', 'Just this check:')} ${gradeCommandLine(repro.lesson, [...repro.source, '--check', result.id])}`);
  }
  return indent(lines);
}

/**
 * A later failure, in a scenario of its own: one line of what was seen and how to see it whole.
 * The learner fixes one thing at a time; the first failure above has the whole story.
 */
export function briefFailure(result: CheckResult, repro: Repro, paint: Paint): string[] {
  const summary = result.status === 'error' ? 'the grader itself failed here too' : escapeLines(result.failure?.summary ?? '');
  return indent([paint('red', summary), `${paint('dim', 'See it whole:')} ${gradeCommandLine(repro.lesson, [...repro.source, '--check', result.id, '--seed', String(repro.seed)])}`]);
}

export function summaryLine(result: LessonResult, paint: Paint): string {
  const passed = result.checks.filter((check) => check.status === 'pass').length;
  const total = result.checks.filter((check) => check.id !== 'cleanup' && !check.skipReason).length;
  const took = formatDuration(result.durationMs);
  if (result.only && result.status === 'pass') return paint('green', `Check ${result.only} passed, with the ${total - 1} checks it needs, in ${took}.`);
  if (result.status === 'pass') return paint('green', `All ${total} checks passed in ${took}.`);
  if (result.status === 'error') return paint('yellow', `The grader hit an internal error (${passed}/${total} checks passed before it).`);
  return paint('red', `${passed} of ${total} checks passed (seed ${result.seed}).`);
}
