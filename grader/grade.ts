// Grades one lesson: runs its checks in order against the learner's programs and returns
// a result object. Deciding lives here; printing lives in report/.
import fs from 'node:fs';
import path from 'node:path';
import { lessonFiles, type Lesson } from '../lessons/course.ts';
import { CheckFailure, CheckSkipped, type Check, type FailureFacts } from './checks/check.ts';
import { checksFor } from './checks/index.ts';
import { createGradingRun } from './context.ts';
import { UsageError } from './errors.ts';
import { ProgramExitedError } from './net/connect.ts';
import type { TranscriptEvent } from './net/transcript.ts';
import { DeadlineError } from './run/deadline.ts';
import { describeExit, type RunningProgram } from './run/program.ts';

export type CheckStatus = 'pass' | 'fail' | 'skip' | 'error';

export interface ProgramOutput {
  readonly label: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated: boolean;
  /** "exited with code 0", "was killed by SIGTERM", or "still running". */
  readonly ending: string;
}

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly durationMs: number;
  /** For fail: what was seen, with the hint already chosen. */
  readonly failure?: Required<Pick<FailureFacts, 'summary' | 'hint'>> & Omit<FailureFacts, 'summary' | 'hint'>;
  /** For error: what went wrong inside the grader. */
  readonly error?: string;
  /** For skip: why the check could not run here. Absent when an earlier check failed. */
  readonly skipReason?: string;
  readonly transcript: readonly TranscriptEvent[];
  readonly outputs: readonly ProgramOutput[];
}

export interface LessonResult {
  readonly lesson: Lesson;
  readonly lessonDir: string;
  readonly seed: number;
  readonly host: string;
  readonly status: 'pass' | 'fail' | 'error';
  readonly checks: readonly CheckResult[];
  readonly durationMs: number;
  /** What the run created, so tests can prove nothing of it is left. */
  readonly resources: { readonly runIds: readonly string[]; readonly ports: readonly number[] };
}

export interface GradeRequest {
  readonly lesson: Lesson;
  /** Folder laid out like exercises/: it holds one folder per lesson slug. */
  readonly root: string;
  readonly seed: number;
  readonly onCheckStart?: (check: Check, index: number) => void;
  readonly onCheckDone?: (result: CheckResult, index: number) => void;
}

export function lessonFolder(root: string, lesson: Lesson): string {
  return path.join(root, lesson.slug);
}

/** The learner's files must exist before anything is started. */
export function assertLessonFiles(root: string, lesson: Lesson): void {
  for (const name of lessonFiles(lesson)) {
    const file = path.join(lessonFolder(root, lesson), name);
    if (!fs.existsSync(file)) {
      throw new UsageError(`missing file ${path.relative(process.cwd(), file) || file}: lesson ${lesson.number} needs it`);
    }
  }
}

function outputOf(program: RunningProgram): ProgramOutput {
  return {
    label: program.label,
    stdout: program.stdout.text,
    stderr: program.stderr.text,
    truncated: program.stdout.truncated || program.stderr.truncated,
    ending: program.exit ? describeExit(program.exit) : 'still running',
  };
}

/** Learner-caused problems become failures; anything else is the grader's own error. */
function asFailure(error: unknown, check: Check): CheckResult['failure'] | undefined {
  if (error instanceof CheckFailure) return { ...error.facts, hint: error.facts.hint ?? check.hint };
  if (error instanceof DeadlineError || error instanceof ProgramExitedError) {
    return { summary: error.message, hint: check.hint };
  }
  return undefined;
}

export async function gradeLesson(request: GradeRequest): Promise<LessonResult> {
  const { lesson, root, seed } = request;
  assertLessonFiles(root, lesson);
  const started = performance.now();
  const lessonDir = lessonFolder(root, lesson);
  const run = createGradingRun(lessonDir, seed);
  const { context, programs } = run;
  const transcript = context.transcript;

  const results: CheckResult[] = [];
  let stopped = false;
  const checks = checksFor(lesson.slug)();
  for (const [index, check] of checks.entries()) {
    if (stopped) {
      const skipped: CheckResult = { id: check.id, title: check.title, status: 'skip', durationMs: 0, transcript: [], outputs: [] };
      results.push(skipped);
      request.onCheckDone?.(skipped, index);
      continue;
    }
    request.onCheckStart?.(check, index);
    const from = transcript.length;
    const checkStarted = performance.now();
    let result: CheckResult;
    try {
      await check.run(context);
      result = { id: check.id, title: check.title, status: 'pass', durationMs: performance.now() - checkStarted, transcript: [], outputs: [] };
    } catch (error) {
      if (error instanceof CheckSkipped) {
        const skipped: CheckResult = { id: check.id, title: check.title, status: 'skip', skipReason: error.reason, durationMs: performance.now() - checkStarted, transcript: [], outputs: [] };
        results.push(skipped);
        request.onCheckDone?.(skipped, index);
        continue;
      }
      const failure = asFailure(error, check);
      result = {
        id: check.id,
        title: check.title,
        status: failure ? 'fail' : 'error',
        durationMs: performance.now() - checkStarted,
        failure,
        error: failure ? undefined : error instanceof Error ? (error.stack ?? error.message) : String(error),
        transcript: transcript.since(from),
        outputs: programs.map(outputOf),
      };
      stopped = true;
    }
    results.push(result);
    request.onCheckDone?.(result, index);
  }

  const cleanupError = await run.cleanUp();
  if (cleanupError) {
    results.push({
      id: 'cleanup',
      title: 'stops every program and frees every port',
      status: 'error',
      durationMs: 0,
      error: cleanupError,
      transcript: [],
      outputs: programs.map(outputOf),
    });
  }
  // A check skipped for a reason (cannot run on this machine) neither passes nor fails the lesson.
  const status = results.some((r) => r.status === 'error') ? 'error' : results.some((r) => r.status === 'fail') ? 'fail' : 'pass';
  const resources = { runIds: programs.map((program) => program.runId), ports: run.ports };
  return { lesson, lessonDir, seed, host: context.host, status, checks: results, durationMs: performance.now() - started, resources };
}
