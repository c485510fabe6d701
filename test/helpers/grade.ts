// Grading helpers for the course's own tests: grade the solutions, the stubs, or a
// catalogue program laid over the solution, and prove nothing of the run is left.
import path from 'node:path';
import { expect } from 'vitest';
import { findLesson, type Lesson } from '../../lessons/course.ts';
import { gradeLesson, type LessonResult } from '../../grader/grade.ts';
import { repoRoot, solutionsRoot } from '../../grader/paths.ts';
import { pristineExercisesRoot } from './pristine.ts';
import { gradeVariant as gradeVariantOf } from '../../grader/variant.ts';
import { pollUntil } from '../../grader/run/deadline.ts';
import { hasProc, isLive } from '../../grader/run/proc.ts';
import { withTimersWatched } from './stray-timers.ts';

export const fixturesRoot = path.join(repoRoot, 'test', 'fixtures');

/** The timers each result's grading left pending, for expectNothingLeft. */
const pendingTimers = new WeakMap<LessonResult, () => Promise<string[]>>();

async function watched(grading: () => Promise<LessonResult>): Promise<LessonResult> {
  const { value, pending } = await withTimersWatched(grading);
  pendingTimers.set(value, pending);
  return value;
}

/** With bail, as the CLI grades: the first failure is the same, and nothing after it waits out its deadlines. */
export function gradeRoot(lessonName: string, root: string, seed = 1): Promise<LessonResult> {
  return watched(() => gradeLesson({ lesson: findLesson(lessonName), root, seed, bail: true }));
}

export const gradeSolution = (lesson: string, seed = 1) => gradeRoot(lesson, solutionsRoot, seed);
/** Grades the stub as committed, whatever the learner did to exercises/. */
export const gradeStub = (lesson: string, seed = 1) => gradeRoot(lesson, pristineExercisesRoot(), seed);

/** Grades the files of `programDir` in place of the solution's (a catalogue entry changes only its file). */
export function gradeVariant(lessonName: string, programDir: string, seed = 1, options: { readonly ipv6?: boolean } = {}): Promise<LessonResult> {
  return watched(() => gradeVariantOf(findLesson(lessonName), programDir, seed, options));
}

/** The id of the first check that did not pass, or undefined when all passed. */
export function firstFailure(result: LessonResult): string | undefined {
  return result.checks.find((check) => check.status !== 'pass')?.id;
}

/** A readable account of a result for assertion messages. */
export function describe(result: LessonResult): string {
  return result.checks
    .map((check) => `${check.status} ${check.id}${check.failure ? `: ${check.failure.summary}` : ''}${check.error ? `: ${check.error.split('\n')[0]}` : ''}`)
    .join('\n');
}

/** Without /proc (macOS), a process is alive while signal 0 reaches it; a zombie cannot be told apart there. */
function alive(pid: number): boolean {
  if (hasProc) return isLive(pid);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * No timer of the grading is pending (checked first, as the grading returns: one would hold
 * `npm run grade` open), no process of the run is alive, and the grader's own last check (which
 * reads the kernel's socket tables before the run's ports are given back to other graders)
 * found nothing bound.
 */
export async function expectNothingLeft(result: LessonResult): Promise<void> {
  expect((await pendingTimers.get(result)?.()) ?? [], 'timers the grading left pending (each keeps the grader process alive)').toEqual([]);
  const leftovers = () => result.resources.pids.filter(alive);
  await pollUntil(() => (leftovers().length === 0 ? true : undefined), 3000, 'the run to leave nothing behind').catch(() => {});
  expect(leftovers(), 'processes left running').toEqual([]);
  const portCheck = result.checks.find((check) => check.id === 'leaves-nothing-behind');
  if (!hasProc) {
    // The kernel's socket tables are read from /proc: elsewhere the check says why it did not run.
    expect(portCheck?.status).toBe('skip');
    expect(portCheck?.skipReason).toMatch(/\/proc/);
    return;
  }
  expect(portCheck?.status, portCheck?.failure?.actual).toBe('pass');
}

export function lessonOf(name: string): Lesson {
  return findLesson(name);
}
