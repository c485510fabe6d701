// What `npm run bench` measures: the cost of starting a program (the unit every grading is
// counted in) and each lesson's grading of its reference solution, as a ratio to that unit,
// so figures from a loaded or a fast machine still compare.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Lesson } from '../../lessons/course.ts';
import { loadGrading } from '../checks/index.ts';
import { gradeLesson } from '../grade.ts';
import { solutionsRoot } from '../paths.ts';

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface StartCosts {
  /** Milliseconds, the median of `runs`. */
  readonly plainNode: number;
  readonly nodeImportTsx: number;
  readonly tsxCli: number;
}

export interface LessonFigure {
  readonly lesson: number;
  readonly slug: string;
  readonly status: string;
  readonly ms: number;
  /** ms as a multiple of one tsx start measured in the same run. */
  readonly tsxStarts: number;
  /**
   * What the grading waits by design (grading.floor) or on the program's own timers (lesson 4's
   * tries at the pace it chose), whichever is longer, and what it took beyond that, in tsx starts.
   */
  readonly floorMs?: number;
  /** What that wait is for. */
  readonly floorWhy?: string;
  readonly aboveFloorTsxStarts?: number;
  /** The slowest checks, for where the time goes. */
  readonly slowest: readonly { readonly id: string; readonly ms: number }[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function timeOf(command: string, args: readonly string[]): number {
  const started = performance.now();
  execFileSync(command, args, { stdio: 'ignore' });
  return performance.now() - started;
}

/** Starts an empty program `runs` times each way. */
export function measureStarts(runs: number): StartCosts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-start-'));
  const empty = path.join(dir, 'empty.ts');
  fs.writeFileSync(empty, 'export {};\n');
  fs.writeFileSync(path.join(dir, 'empty.mjs'), 'export {};\n');
  try {
    const each = (args: readonly string[]) => median(Array.from({ length: runs }, () => timeOf(process.execPath, args)));
    return {
      plainNode: each([path.join(dir, 'empty.mjs')]),
      nodeImportTsx: each(['--import', tsxLoader, empty]),
      tsxCli: each([tsxCli, empty]),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const PROGRAM_TIMERS = "the program's own timers: the tries it made at the pace it chose";

function floorWhy(floor: { readonly ms: number; readonly why: string } | undefined, floorMs: number): string {
  return floor && floor.ms >= floorMs ? floor.why : PROGRAM_TIMERS;
}

export async function measureLesson(lesson: Lesson, tsxStart: number, seed: number): Promise<LessonFigure> {
  const result = await gradeLesson({ lesson, root: solutionsRoot, seed });
  const { floor } = await loadGrading(lesson.slug);
  const floorMs = Math.round(Math.max(floor?.ms ?? 0, result.programWaitMs ?? 0));
  const starts = (ms: number) => Math.round((ms / tsxStart) * 10) / 10;
  const slowest = [...result.checks]
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, 3)
    .map((check) => ({ id: check.id, ms: Math.round(check.durationMs) }));
  return {
    lesson: lesson.number,
    slug: lesson.slug,
    status: result.status,
    ms: Math.round(result.durationMs),
    tsxStarts: starts(result.durationMs),
    ...(floorMs > 0 ? { floorMs, floorWhy: floorWhy(floor, floorMs), aboveFloorTsxStarts: starts(result.durationMs - floorMs) } : {}),
    slowest,
  };
}
