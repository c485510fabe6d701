// Grades one student's lesson in a child grader process, so that one broken or malicious
// submission can only cost its own time limit, never stall or break the class run.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import type { Lesson } from '../../lessons/course.ts';
import { lessonFiles } from '../../lessons/course.ts';
import { repoRoot } from '../paths.ts';
import type { JsonResult } from '../report/json.ts';
import type { ClassRow } from './report.ts';

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const cli = path.join(repoRoot, 'grader', 'cli.ts');

export interface JobOptions {
  readonly studentDir: string;
  readonly student: string;
  readonly lesson: Lesson;
  readonly seed: number;
  readonly timeoutMs: number;
}

export async function gradeStudentLesson(options: JobOptions): Promise<ClassRow> {
  const { studentDir, student, lesson, seed, timeoutMs } = options;
  const base = { student, lesson: lesson.number, slug: lesson.slug, seed, score: 0, maxScore: 0 };
  const missing = lessonFiles(lesson).filter((file) => !fs.existsSync(path.join(studentDir, lesson.slug, file)));
  if (missing.length) return { ...base, status: 'missing', message: `missing ${missing.join(', ')}` };
  const child = await execa(
    process.execPath,
    ['--import', tsxLoader, cli, 'grade', String(lesson.number), '--dir', studentDir, '--json', '--seed', String(seed)],
    { cwd: repoRoot, reject: false, timeout: timeoutMs, forceKillAfterDelay: 5000, maxBuffer: 64 * 1024 * 1024, env: { FORCE_COLOR: '0' } },
  );
  if (child.timedOut) return { ...base, status: 'crashed', message: `grading took longer than ${timeoutMs / 1000} s and was stopped` };
  let result: JsonResult;
  try {
    result = JSON.parse(child.stdout) as JsonResult;
  } catch {
    const why = child.stderr.split('\n').find((line) => line.trim()) ?? `exit code ${child.exitCode}`;
    return { ...base, status: 'crashed', message: why };
  }
  const failed = result.tests.find((test) => test.status === 'fail' || test.status === 'error');
  return {
    ...base,
    status: result.status,
    score: result.score,
    maxScore: result.max_score,
    failedCheck: failed?.name,
    message: failed?.message,
    result,
  };
}
