// What a class grading produces: one row per student × lesson, the CSV and JSON forms, and
// the summary of which checks failed most (what to teach again).
import type { JsonResult } from '../report/json.ts';

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
  readonly result?: JsonResult;
}

function csvField(value: string | number | undefined): string {
  const text = value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly ClassRow[]): string {
  const header = ['student', 'lesson', 'slug', 'status', 'score', 'max_score', 'failed_check', 'message', 'seed'];
  const lines = rows.map((row) =>
    [row.student, row.lesson, row.slug, row.status, row.score, row.maxScore, row.failedCheck, row.message, row.seed].map(csvField).join(','),
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

export interface ClassReport {
  readonly version: 1;
  readonly generatedAt: string;
  readonly students: readonly string[];
  readonly rows: readonly ClassRow[];
  readonly mostFailed: readonly FailedCheckCount[];
}

export function buildReport(students: readonly string[], rows: readonly ClassRow[], now = new Date()): ClassReport {
  return { version: 1, generatedAt: now.toISOString(), students, rows, mostFailed: mostFailedChecks(rows) };
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
  const failed = report.mostFailed.slice(0, 10).map((entry) => `  ${entry.students.length} × lesson-${entry.lesson}: ${entry.check}`);
  return ['Passes per lesson:', ...lines, '', failed.length ? 'Checks failed most (teach these again):' : 'No check failed.', ...failed];
}
