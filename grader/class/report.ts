// What a class grading produces: one row per student × lesson, the CSV and JSON forms, and
// the summary of which checks failed most and which mistakes were seen most (what to teach again).
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
  /** The id of the mistake the failing check recognised ("little-endian-length"), if it named one. */
  readonly diagnosis?: string;
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
  const header = ['student', 'lesson', 'slug', 'status', 'score', 'max_score', 'failed_check', 'message', 'seed', 'sandbox', 'diagnosis'];
  const lines = rows.map((row) =>
    [row.student, row.lesson, row.slug, row.status, row.score, row.maxScore, row.failedCheck, row.message, row.seed, row.sandbox, row.diagnosis]
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

export interface DiagnosisCount {
  readonly lesson: number;
  readonly diagnosis: string;
  readonly students: readonly string[];
}

/** Failed rows grouped by lesson and `keyOf`, the largest group first. */
function countFailures(rows: readonly ClassRow[], keyOf: (row: ClassRow) => string | undefined): { lesson: number; key: string; students: string[] }[] {
  const counts = new Map<string, { lesson: number; key: string; students: string[] }>();
  for (const row of rows) {
    const key = row.status === 'fail' ? keyOf(row) : undefined;
    if (!key) continue;
    const entry = counts.get(`${row.lesson}\u0000${key}`) ?? { lesson: row.lesson, key, students: [] };
    entry.students.push(row.student);
    counts.set(`${row.lesson}\u0000${key}`, entry);
  }
  return [...counts.values()].sort((a, b) => b.students.length - a.students.length || a.lesson - b.lesson);
}

/** Checks that students failed first, most common first. */
export function mostFailedChecks(rows: readonly ClassRow[]): FailedCheckCount[] {
  return countFailures(rows, (row) => row.failedCheck).map(({ lesson, key, students }) => ({ lesson, check: key, students }));
}

/** The mistakes the checks recognised, most common first: what to teach again. */
export function mostCommonDiagnoses(rows: readonly ClassRow[]): DiagnosisCount[] {
  return countFailures(rows, (row) => row.diagnosis).map(({ lesson, key, students }) => ({ lesson, diagnosis: key, students }));
}

/** How the whole class was graded: the same box and the same seed for everyone. */
export interface ClassRun {
  readonly sandbox: string;
  readonly seed: number;
}

export interface ClassReport {
  /**
   * 2 added `sandbox` and `seed` here and in every row, and the CSV column sandbox;
   * 3 added `diagnosis` to rows, `mostDiagnosed` here, and the CSV's last column, diagnosis.
   */
  readonly version: 3;
  readonly generatedAt: string;
  readonly sandbox: string;
  readonly seed: number;
  readonly students: readonly string[];
  readonly rows: readonly ClassRow[];
  readonly mostFailed: readonly FailedCheckCount[];
  readonly mostDiagnosed: readonly DiagnosisCount[];
}

export function buildReport(students: readonly string[], rows: readonly ClassRow[], run: ClassRun, now = new Date()): ClassReport {
  const { sandbox, seed } = run;
  return { version: 3, generatedAt: now.toISOString(), sandbox, seed, students, rows, mostFailed: mostFailedChecks(rows), mostDiagnosed: mostCommonDiagnoses(rows) };
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
  const mistakes = report.mostDiagnosed.slice(0, 10).map((entry) => `  ${entry.students.length} × lesson-${entry.lesson}: ${escapeControl(entry.diagnosis)}`);
  return [
    'Passes per lesson:',
    ...lines,
    '',
    failed.length ? 'Checks failed most (teach these again):' : 'No check failed.',
    ...failed,
    ...(mistakes.length ? ['', 'Mistakes seen most:', ...mistakes] : []),
  ];
}
