// Grades one student's lessons in a child grader process (child.ts), so that one broken or
// malicious submission can only cost its own time limits, never stall or break the class run.
// Each lesson's time limit runs from the moment the child says it started that lesson. A
// result counts only if it can be verified: it is about a lesson the child was given, with
// this seed, and adds up, and the child's exit code agrees with what it reported. Anything
// else is "crashed", with what happened.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Lesson } from '../../lessons/course.ts';
import { lessonFiles } from '../../lessons/course.ts';
import { EXIT, exitForStatus } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import type { JsonResult } from '../report/json.ts';
import { capRowResult, capText } from './caps.ts';
import { parseEvent } from './child-events.ts';
import type { ClassIsolation } from './isolation.ts';
import type { ClassRow } from './report.ts';

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const childEntry = path.join(repoRoot, 'grader', 'class', 'child.ts');
/** More output than any honest grading prints: the child is stopped, not believed. */
const MAX_OUTPUT_BYTES = 64 * 2 ** 20;
const STDERR_KEPT_BYTES = 16 * 1024;
/** After SIGTERM, the child has this long to stop its programs before SIGKILL. */
const KILL_GRACE_MS = 5000;

export interface StudentJob {
  readonly studentDir: string;
  readonly student: string;
  readonly lessons: readonly Lesson[];
  readonly seedOf: (lesson: Lesson) => number;
  /** The most one lesson may take, from when the child starts it. */
  readonly timeoutMs: number;
  readonly isolation: ClassIsolation;
  /** Lessons the child grades at the same time. */
  readonly atOnce: number;
  /** Each row as soon as it is known, for progress. */
  readonly onRow?: (row: ClassRow) => void;
  /** The child grader's command before its arguments; tests put a misbehaving one here. */
  readonly child?: readonly string[];
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

/** Why this result cannot be believed, or undefined when it holds together. */
export function distrust(result: JsonResult, lesson: Lesson, seed: number): string | undefined {
  if (result?.lesson?.slug !== lesson.slug) return `its result was for another lesson (${String(result?.lesson?.slug)})`;
  if (result.seed !== seed) return `its result had seed ${String(result.seed)}, not ${seed}`;
  if (!Array.isArray(result.tests)) return 'its result had no list of checks';
  if (!(result.status in exitForStatus)) return `its result had the status "${String(result.status)}"`;
  const passed = result.tests.filter((test) => test.status === 'pass').length;
  const failed = result.tests.some((test) => test.status === 'fail' || test.status === 'error');
  if (passed !== result.score) return `its result claimed ${String(result.score)} passed checks but listed ${passed}`;
  if (result.status === 'pass' && (failed || result.score !== result.max_score)) return 'its result said "pass" with checks that did not pass';
  return undefined;
}

/** The exit code a child that reported these statuses must end with: the worst of them. */
export const expectedExit = (statuses: readonly JsonResult['status'][]): number => Math.max(EXIT.pass, ...statuses.map((status) => exitForStatus[status] ?? EXIT.graderError));

export async function gradeStudent(job: StudentJob): Promise<ClassRow[]> {
  const rows: ClassRow[] = [];
  const add = (row: ClassRow) => {
    rows.push(row);
    job.onRow?.(row);
  };
  let pending: Lesson[] = [];
  for (const lesson of job.lessons) {
    const missing = lessonFiles(lesson).filter((file) => !fs.existsSync(path.join(job.studentDir, lesson.slug, file)));
    if (missing.length) add({ ...baseRow(job, lesson), status: 'missing', message: `missing ${missing.join(', ')}` });
    else pending.push(lesson);
  }
  // A child stopped for one lesson's time limit takes the others it was grading with it: they
  // run again in a new child. Every round gives at least the over-time lesson its row.
  while (pending.length > 0) {
    const { rows: graded, rerun } = await runChild(job, pending);
    graded.forEach(add);
    pending = rerun;
  }
  const order = new Map(job.lessons.map((lesson, index) => [lesson.slug, index]));
  return rows.sort((a, b) => order.get(a.slug)! - order.get(b.slug)!);
}

function baseRow(job: StudentJob, lesson: Lesson) {
  return { student: job.student, lesson: lesson.number, slug: lesson.slug, seed: job.seedOf(lesson), score: 0, maxScore: 0, sandbox: job.isolation.description };
}

function rowOfResult(job: StudentJob, lesson: Lesson, result: JsonResult): ClassRow {
  const capped = capRowResult(result);
  const failed = capped.tests.find((test) => test.status === 'fail' || test.status === 'error');
  return {
    ...baseRow(job, lesson),
    status: capped.status,
    score: capped.score,
    maxScore: capped.max_score,
    failedCheck: failed?.name,
    diagnosis: failed?.diagnosis ?? undefined,
    message: failed?.message,
    result: capped,
  };
}

const crashedRow = (job: StudentJob, lesson: Lesson, message: string): ClassRow => ({ ...baseRow(job, lesson), status: 'crashed', message: capText(message) });

/** Children still running, stopped if the class run itself ends first. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

interface ChildOutcome {
  readonly rows: readonly ClassRow[];
  readonly rerun: Lesson[];
}

function runChild(job: StudentJob, lessons: readonly Lesson[]): Promise<ChildOutcome> {
  const bySlug = new Map(lessons.map((lesson) => [lesson.slug, lesson]));
  const grade = [...(job.child ?? [process.execPath, '--import', tsxLoader, childEntry]), '--dir', job.studentDir, '--at-once', String(job.atOnce)];
  for (const lesson of lessons) grade.push('--lesson', `${lesson.number}:${job.seedOf(lesson)}`);
  if (job.isolation.sandboxed) grade.push('--sandbox');
  const [command, ...args] = job.isolation.wrap(grade);
  const child = spawn(command!, args, { cwd: repoRoot, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);

  const rows = new Map<string, ClassRow>();
  const statuses: JsonResult['status'][] = [];
  const limits = new Map<string, NodeJS.Timeout>();
  const overTime = new Set<string>();
  let stoppedFor: string | undefined;
  let startWatch: NodeJS.Timeout | undefined;
  let killTimer: NodeJS.Timeout | undefined;

  const stop = (why?: string) => {
    stoppedFor ??= why;
    if (child.exitCode !== null || child.signalCode !== null || killTimer) return;
    child.kill('SIGTERM');
    killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  };
  const seconds = `${job.timeoutMs / 1000} s`;
  // A child that starts no lesson while some wait is stuck before grading: it gets one time limit too.
  const watchStarts = () => {
    clearTimeout(startWatch);
    const waiting = lessons.some((lesson) => !limits.has(lesson.slug) && !rows.has(lesson.slug));
    const busy = [...limits.keys()].some((slug) => !rows.has(slug));
    if (waiting && !busy) startWatch = setTimeout(() => stop(`the grader started no lesson within ${seconds}`), job.timeoutMs);
  };
  const onEvent = (line: string) => {
    const event = parseEvent(line);
    if (!event) return stop(`the grader printed a line that is not one of its reports: ${line.slice(0, 80)}`);
    const slug = 'started' in event ? event.started : 'broke' in event ? event.broke : event.result?.lesson?.slug;
    const lesson = typeof slug === 'string' ? bySlug.get(slug) : undefined;
    if (!lesson || rows.has(lesson.slug) || ('started' in event ? limits.has(lesson.slug) : !limits.has(lesson.slug))) {
      return stop(`the grader reported ${String(slug)} out of turn`);
    }
    if ('started' in event) {
      limits.set(lesson.slug, setTimeout(() => {
        overTime.add(lesson.slug);
        stop();
      }, job.timeoutMs));
    } else {
      clearTimeout(limits.get(lesson.slug));
      if ('broke' in event) {
        statuses.push('error');
        rows.set(lesson.slug, crashedRow(job, lesson, `the grader failed on this lesson: ${event.message}`));
      } else {
        statuses.push(event.result.status);
        const doubt = distrust(event.result, lesson, job.seedOf(lesson));
        rows.set(lesson.slug, doubt ? crashedRow(job, lesson, `the grader's result was not trusted: ${doubt}`) : rowOfResult(job, lesson, event.result));
      }
    }
    watchStarts();
  };

  let pendingLine = '';
  let outputBytes = 0;
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    outputBytes += chunk.length;
    if (outputBytes > MAX_OUTPUT_BYTES) return stop(`the grader printed more than ${MAX_OUTPUT_BYTES / 2 ** 20} MiB`);
    const lines = (pendingLine + chunk).split('\n');
    pendingLine = lines.pop()!;
    for (const line of lines) if (line.trim() && stoppedFor === undefined) onEvent(line);
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT_BYTES);
  });
  watchStarts();

  return new Promise((resolve) => {
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
      if (finished) return;
      finished = true;
      running.delete(child);
      for (const timer of [...limits.values(), startWatch, killTimer]) clearTimeout(timer);
      const unreported = lessons.filter((lesson) => !rows.has(lesson.slug));
      const firstLine = stderr.split('\n').find((line) => line.trim());
      const all = (message: string) => unreported.map((lesson) => crashedRow(job, lesson, message));
      if (overTime.size > 0) {
        const over = unreported.filter((lesson) => overTime.has(lesson.slug));
        const rerun = unreported.filter((lesson) => !overTime.has(lesson.slug));
        return resolve({ rows: [...rows.values(), ...over.map((lesson) => crashedRow(job, lesson, `grading took longer than ${seconds} and was stopped`))], rerun });
      }
      if (spawnError) return resolve({ rows: [...rows.values(), ...all(`the grader could not start: ${spawnError.message}`)], rerun: [] });
      if (stoppedFor) return resolve({ rows: [...rows.values(), ...all(`${stoppedFor}; its output is not trusted`)], rerun: [] });
      if (signal) return resolve({ rows: [...rows.values(), ...all(`the grader was killed by ${signal} before it finished; its output is not trusted`)], rerun: [] });
      if (code === EXIT.usage) return resolve({ rows: [...rows.values(), ...all(`the grader refused the folder: ${firstLine ?? 'usage error'}`)], rerun: [] });
      if (unreported.length > 0) return resolve({ rows: [...rows.values(), ...all(`the grader ended (exit code ${code}) without a result for this lesson (${firstLine ?? 'nothing on stderr'})`)], rerun: [] });
      if (code !== expectedExit(statuses)) {
        const why = `the grader exited with code ${code}, which disagrees with the results it printed; they are not trusted`;
        return resolve({ rows: lessons.map((lesson) => crashedRow(job, lesson, why)), rerun: [] });
      }
      resolve({ rows: [...rows.values()], rerun: [] });
    };
    child.once('error', (error) => finish(null, null, error));
    child.once('close', (code, signal) => finish(code, signal));
  });
}
