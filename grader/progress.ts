// The learner's progress, kept in a local, git-ignored file. Written atomically (temp file
// + rename); deleting it loses nothing but the table and the hints already revealed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { course, lessonFiles, type Lesson } from '../lessons/course.ts';
import type { LessonResult } from './grade.ts';
import { repoRoot } from './paths.ts';

export interface LessonProgress {
  readonly status: 'pass' | 'fail' | 'error';
  /** Title of the first check that did not pass. */
  readonly failedCheck?: string;
  readonly at: string;
  /** What was graded: a hash of the lesson's files then (see filesHash). */
  readonly filesHash?: string;
}

export interface Progress {
  readonly version: 1;
  readonly lessons: Readonly<Record<string, LessonProgress>>;
  /** How many hint tiers have been revealed, per lesson slug. */
  readonly hints: Readonly<Record<string, number>>;
  /** `npm run observe`: set once a run had every answer right. */
  readonly observe?: { readonly status: 'pass'; readonly at: string; readonly seed: number };
}

const EMPTY: Progress = { version: 1, lessons: {}, hints: {} };

export function progressPath(): string {
  return process.env.SOCKETS_COURSE_PROGRESS ?? path.join(repoRoot, '.progress.json');
}

export function readProgress(): Progress {
  try {
    const parsed = JSON.parse(fs.readFileSync(progressPath(), 'utf8')) as Partial<Progress>;
    if (parsed.version !== 1) return EMPTY;
    return { version: 1, lessons: parsed.lessons ?? {}, hints: parsed.hints ?? {}, ...(parsed.observe ? { observe: parsed.observe } : {}) };
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

/** A hash of the lesson's files in `root` (names and contents), so a result can tell it is stale. */
export function filesHash(lesson: Lesson, root: string): string {
  const hash = createHash('sha256');
  for (const file of lessonFiles(lesson)) {
    hash.update(`${file}\0`);
    try {
      hash.update(fs.readFileSync(path.join(root, lesson.slug, file)));
    } catch {
      hash.update('\0missing');
    }
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The result is about other files than those in `root` now: they changed since it was graded. */
export function isStale(lesson: Lesson, entry: LessonProgress, root: string): boolean {
  return entry.filesHash !== undefined && entry.filesHash !== filesHash(lesson, root);
}

export function recordResult(lesson: Lesson, result: LessonResult, root: string): void {
  const progress = readProgress();
  const failed = result.checks.find((check) => check.status !== 'pass');
  const entry: LessonProgress = {
    status: result.status,
    ...(failed ? { failedCheck: failed.title } : {}),
    at: new Date().toISOString(),
    filesHash: filesHash(lesson, root),
  };
  writeProgress({ ...progress, lessons: { ...progress.lessons, [lesson.slug]: entry } });
}

export function recordHintsShown(lesson: Lesson, tiers: number): void {
  const progress = readProgress();
  writeProgress({ ...progress, hints: { ...progress.hints, [lesson.slug]: tiers } });
}

/** Records a run of `npm run observe` in which every answer was right. */
export function recordObservationPassed(seed: number): void {
  const progress = readProgress();
  writeProgress({ ...progress, observe: { status: 'pass', at: new Date().toISOString(), seed } });
}

/** The first lesson not yet passed, or undefined when the course is done. */
export function nextLesson(progress: Progress): Lesson | undefined {
  return course.find((lesson) => progress.lessons[lesson.slug]?.status !== 'pass');
}
