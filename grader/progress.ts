// The learner's progress, kept in a local, git-ignored file. Written atomically (temp file
// + rename); deleting it loses nothing but the table and the hints already revealed.
import fs from 'node:fs';
import path from 'node:path';
import { course, type Lesson } from '../lessons/course.ts';
import type { LessonResult } from './grade.ts';
import { repoRoot } from './paths.ts';

export interface LessonProgress {
  readonly status: 'pass' | 'fail' | 'error';
  /** Title of the first check that did not pass. */
  readonly failedCheck?: string;
  readonly at: string;
}

export interface Progress {
  readonly version: 1;
  readonly lessons: Readonly<Record<string, LessonProgress>>;
  /** How many hint tiers have been revealed, per lesson slug. */
  readonly hints: Readonly<Record<string, number>>;
}

const EMPTY: Progress = { version: 1, lessons: {}, hints: {} };

export function progressPath(): string {
  return process.env.SOCKETS_COURSE_PROGRESS ?? path.join(repoRoot, '.progress.json');
}

export function readProgress(): Progress {
  try {
    const parsed = JSON.parse(fs.readFileSync(progressPath(), 'utf8')) as Partial<Progress>;
    if (parsed.version !== 1) return EMPTY;
    return { version: 1, lessons: parsed.lessons ?? {}, hints: parsed.hints ?? {} };
  } catch {
    return EMPTY; // missing or damaged: start again, nothing of the learner's code depends on it
  }
}

export function writeProgress(progress: Progress): void {
  const file = progressPath();
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(progress, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

export function recordResult(lesson: Lesson, result: LessonResult): void {
  const progress = readProgress();
  const failed = result.checks.find((check) => check.status !== 'pass');
  const entry: LessonProgress = {
    status: result.status,
    ...(failed ? { failedCheck: failed.title } : {}),
    at: new Date().toISOString(),
  };
  writeProgress({ ...progress, lessons: { ...progress.lessons, [lesson.slug]: entry } });
}

export function recordHintsShown(lesson: Lesson, tiers: number): void {
  const progress = readProgress();
  writeProgress({ ...progress, hints: { ...progress.hints, [lesson.slug]: tiers } });
}

/** The first lesson not yet passed, or undefined when the course is done. */
export function nextLesson(progress: Progress): Lesson | undefined {
  return course.find((lesson) => progress.lessons[lesson.slug]?.status !== 'pass');
}
