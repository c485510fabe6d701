// Class grading throughput: N copies of the reference solutions graded (the lessons benched) by `grade:class` as an
// instructor runs it (a child grader per student, sandboxed where bubblewrap is, `--jobs` students at once).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { course, type Lesson } from '../../lessons/course.ts';
import { repoRoot, solutionsRoot } from '../paths.ts';
import { sandboxSupport } from '../run/sandbox.ts';

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

export interface ClassFigures {
  readonly students: number;
  readonly lessons: number;
  readonly jobs: number;
  readonly sandbox: boolean;
  readonly ms: number;
  /** Gradings that passed, of students × lessons (every copy is a solution). */
  readonly passed: number;
  readonly gradings: number;
}

export async function measureClass(students: number, jobs: number, seed: number, lessons: readonly Lesson[] = course): Promise<ClassFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-class-'));
  const classDir = path.join(dir, 'class');
  try {
    for (let i = 1; i <= students; i++) fs.cpSync(solutionsRoot, path.join(classDir, `student-${String(i).padStart(2, '0')}`), { recursive: true });
    const sandbox = sandboxSupport().ok;
    const args = [tsxCli, path.join(repoRoot, 'grader', 'cli.ts'), 'class', classDir, '--jobs', String(jobs), '--seed', String(seed), '--out', path.join(dir, 'reports'), '--lessons', lessons.map((lesson) => lesson.number).join(','), ...(sandbox ? [] : ['--trust'])];
    const started = performance.now();
    await new Promise<void>((resolve) => execFile(process.execPath, args, { cwd: repoRoot, maxBuffer: 64 * 2 ** 20 }, () => resolve()));
    const ms = performance.now() - started;
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'reports', 'class-report.json'), 'utf8')) as { rows: { status: string }[] };
    return { students, lessons: lessons.length, jobs, sandbox, ms: Math.round(ms), passed: report.rows.filter((row) => row.status === 'pass').length, gradings: report.rows.length };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
