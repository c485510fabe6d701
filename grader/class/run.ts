// Grades one student's lesson in a child grader process, so that one broken or malicious
// submission can only cost its own time limit, never stall or break the class run. The
// child's result counts only if it can be verified: the child ended by itself, its exit code
// agrees with the status it reports, and the result is about this lesson, this seed, and
// adds up. Anything else is "crashed", with what happened.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import type { Lesson } from '../../lessons/course.ts';
import { lessonFiles } from '../../lessons/course.ts';
import { EXIT } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import type { JsonResult } from '../report/json.ts';
import { capRowResult, capText } from './caps.ts';
import type { ClassIsolation } from './isolation.ts';
import type { ClassRow } from './report.ts';

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const cli = path.join(repoRoot, 'grader', 'cli.ts');

export interface JobOptions {
  readonly studentDir: string;
  readonly student: string;
  readonly lesson: Lesson;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly isolation: ClassIsolation;
}

/** The child grader sees none of the instructor's environment: no tokens to leak. */
function childEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', FORCE_COLOR: '0', NO_COLOR: '1' };
  for (const name of ['GRADER_TIME_SCALE', 'TMPDIR', 'GRADER_NO_CGROUP']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

const exitFor: Readonly<Record<JsonResult['status'], number>> = { pass: EXIT.pass, fail: EXIT.fail, error: EXIT.graderError };

/** Why this result cannot be believed, or undefined when it holds together. */
export function distrust(result: JsonResult, exitCode: number, lesson: Lesson, seed: number): string | undefined {
  if (result?.lesson?.slug !== lesson.slug) return `its result was for another lesson (${String(result?.lesson?.slug)})`;
  if (result.seed !== seed) return `its result had seed ${String(result.seed)}, not ${seed}`;
  if (!Array.isArray(result.tests)) return 'its result had no list of checks';
  if (exitFor[result.status] !== exitCode) return `it exited with code ${exitCode} but its result said "${String(result.status)}"`;
  const passed = result.tests.filter((test) => test.status === 'pass').length;
  const failed = result.tests.some((test) => test.status === 'fail' || test.status === 'error');
  if (passed !== result.score) return `its result claimed ${String(result.score)} passed checks but listed ${passed}`;
  if (result.status === 'pass' && (failed || result.score !== result.max_score)) return 'its result said "pass" with checks that did not pass';
  return undefined;
}

export async function gradeStudentLesson(options: JobOptions): Promise<ClassRow> {
  const { studentDir, student, lesson, seed, timeoutMs, isolation } = options;
  const base = { student, lesson: lesson.number, slug: lesson.slug, seed, score: 0, maxScore: 0, sandbox: isolation.description };
  const missing = lessonFiles(lesson).filter((file) => !fs.existsSync(path.join(studentDir, lesson.slug, file)));
  if (missing.length) return { ...base, status: 'missing', message: `missing ${missing.join(', ')}` };
  const grade = [process.execPath, '--import', tsxLoader, cli, 'grade', String(lesson.number), '--dir', studentDir, '--json', '--seed', String(seed)];
  const [command, ...args] = isolation.wrap(isolation.sandboxed ? [...grade, '--sandbox'] : grade);
  const child = await execa(command!, args, {
    cwd: repoRoot,
    reject: false,
    timeout: timeoutMs,
    forceKillAfterDelay: 5000,
    maxBuffer: 64 * 1024 * 1024,
    env: childEnv(),
    extendEnv: false,
    stdin: 'ignore',
  });
  const crashed = (message: string): ClassRow => ({ ...base, status: 'crashed', message: capText(message) });
  if (child.timedOut) return crashed(`grading took longer than ${timeoutMs / 1000} s and was stopped`);
  if (child.signal) return crashed(`the grader was killed by ${child.signal} before it finished; its output is not trusted`);
  if (child.exitCode === EXIT.usage) {
    return crashed(`the grader refused the folder: ${child.stderr.split('\n').find((line) => line.trim()) ?? 'usage error'}`);
  }
  let result: JsonResult;
  try {
    result = JSON.parse(child.stdout) as JsonResult;
  } catch {
    const why = child.stderr.split('\n').find((line) => line.trim()) ?? `exit code ${child.exitCode}`;
    return crashed(`the grader printed no readable result (${why})`);
  }
  const doubt = distrust(result, child.exitCode ?? -1, lesson, seed);
  if (doubt) return crashed(`the grader's result was not trusted: ${doubt}`);
  const capped = capRowResult(result);
  const failed = capped.tests.find((test) => test.status === 'fail' || test.status === 'error');
  return {
    ...base,
    status: capped.status,
    score: capped.score,
    maxScore: capped.max_score,
    failedCheck: failed?.name,
    diagnosis: failed?.diagnosis ?? undefined,
    message: failed?.message,
    result: capped,
  };
}
