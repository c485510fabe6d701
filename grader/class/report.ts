// What a class grading produces: one row per student × lesson, the CSV and JSON forms, and
// the summary of which checks failed most (what to teach again).
import type { JsonResult } from '../report/json.ts';
import { escapeControl } from '../report/text.ts';

export interface ClassRow {
  readonly student: string;
  readonly lesson: number;
  readonly slug: string;
  /** pass / fail / error from the grader; missing when the student has no such folder; crashed when grading itself died. */
  readonly status: 'pass' | 'fail' | 'error' | 'missing' | 'crashed';
  readonly score: number;
  readonly maxScore: number;
  readonly failedCheck?: string;
  readonly message?: string;
  readonly seed: number;
  /** What the student's programs ran in: "bubblewrap", or "none (--trust)". */
  readonly sandbox: string;
  readonly result?: JsonResult;
}

function csvField(value: string | number | undefined): string {
  if (typeof value === 'number') return String(value);
  const raw = value ?? '';
  // A spreadsheet runs a cell starting with = + - @ (or a tab or CR before one) as a formula,
  // and student names and messages are theirs to choose: a leading ' keeps it text (OWASP).
  const neutral = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  // Line breaks stay (quoted, as CSV allows); ESC and other controls are shown, never sent to a terminal.
  const text = neutral.split('\n').map(escapeControl).join('\n');
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly ClassRow[]): string {
  const header = ['student', 'lesson', 'slug', 'status', 'score', 'max_score', 'failed_check', 'message', 'seed', 'sandbox'];
  const lines = rows.map((row) =>
    [row.student, row.lesson, row.slug, row.status, row.score, row.maxScore, row.failedCheck, row.message, row.seed, row.sandbox]
      .map(csvField)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

export interface FailedCheckCount {
  readonly lesson: number;
  readonly check: string;
  readonly students: readonly string[];
}

/** Checks that students failed first, most common first. */
export function mostFailedChecks(rows: readonly ClassRow[]): FailedCheckCount[] {
  const counts = new Map<string, { lesson: number; check: string; students: string[] }>();
  for (const row of rows) {
    if (row.status !== 'fail' || !row.failedCheck) continue;
    const key = `${row.lesson}\u0000${row.failedCheck}`;
    const entry = counts.get(key) ?? { lesson: row.lesson, check: row.failedCheck, students: [] };
    entry.students.push(row.student);
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.students.length - a.students.length || a.lesson - b.lesson);
}

/** How the whole class was graded: the same box and the same seed for everyone. */
export interface ClassRun {
  readonly sandbox: string;
  readonly seed: number;
}

export interface ClassReport {
  /** 2 added `sandbox` and `seed` here and in every row, and the CSV's last column, sandbox. */
  readonly version: 2;
  readonly generatedAt: string;
  readonly sandbox: string;
  readonly seed: number;
  readonly students: readonly string[];
  readonly rows: readonly ClassRow[];
  readonly mostFailed: readonly FailedCheckCount[];
}

export function buildReport(students: readonly string[], rows: readonly ClassRow[], run: ClassRun, now = new Date()): ClassReport {
  const { sandbox, seed } = run;
  return { version: 2, generatedAt: now.toISOString(), sandbox, seed, students, rows, mostFailed: mostFailedChecks(rows) };
}

export function summaryLines(report: ClassReport): string[] {
  const lessons = [...new Set(report.rows.map((row) => row.lesson))].sort((a, b) => a - b);
  const lines = lessons.map((lesson) => {
    const rows = report.rows.filter((row) => row.lesson === lesson);
    const count = (status: ClassRow['status']) => rows.filter((row) => row.status === status).length;
    const extra = [['missing', count('missing')], ['error', count('error') + count('crashed')]]
      .filter(([, n]) => n)
      .map(([name, n]) => `, ${n} ${name}`)
      .join('');
    return `  lesson-${lesson}: ${count('pass')} of ${rows.length} pass${extra}`;
  });
  // A check's name comes back from the student's grading run: print it escaped.
  const failed = report.mostFailed.slice(0, 10).map((entry) => `  ${entry.students.length} × lesson-${entry.lesson}: ${escapeControl(entry.check)}`);
  return ['Passes per lesson:', ...lines, '', failed.length ? 'Checks failed most (teach these again):' : 'No check failed.', ...failed];
}
