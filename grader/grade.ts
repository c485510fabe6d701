// Grades one lesson: runs its checks in order against the learner's programs and returns
// a result object. Deciding lives here; printing lives in report/.
import fs from 'node:fs';
import path from 'node:path';
import { lessonFiles, type Lesson } from '../lessons/course.ts';
import { loadGrading } from './checks/index.ts';
import { selectChecks, type CheckInfo, type LessonGrading } from './checks/lesson.ts';
import { createGradingRun, type ScenarioRun } from './context.ts';
import { UsageError } from './errors.ts';
import type { TranscriptEvent } from './net/transcript.ts';
import { killLeftovers, socketsLeftBehind } from './run/leftovers.ts';
import { releasePorts } from './run/ports.ts';
import { hasProc } from './run/proc.ts';
import { describeExit, type RunningProgram } from './run/program.ts';
import { stageLesson, type Stage } from './stage.ts';
import { compileProgram, formatProblem } from './run/compile.ts';
import { inCourseOrder } from './in-order.ts';
import { pool } from './pool.ts';
import { runScenario, skippedResult, type ScenarioReport, type StartedBy } from './scenario-run.ts';

/**
 * Scenarios graded at once. They share nothing but the host, so they overlap their waits;
 * more than this and timing checks start to feel a busy 2-core machine.
 */
const SCENARIOS_AT_ONCE = 3;

export type CheckStatus = 'pass' | 'fail' | 'skip' | 'error';

export interface ProgramOutput {
  readonly label: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated: boolean;
  /** "exited with code 0", "was killed by SIGTERM", or "still running". */
  readonly ending: string;
}

/** A failure as reported: the hint chosen, and the id of the mistake recognised, if one was. */
export interface FailureSeen {
  readonly summary: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly hint: string;
  /** Absent when no aimed diagnosis was made and the check's general hint is given. */
  readonly diagnosis?: string;
}

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly durationMs: number;
  /** For fail: what was seen, with the hint already chosen. */
  readonly failure?: FailureSeen;
  /** For error: what went wrong inside the grader. */
  readonly error?: string;
  /** For skip: why the check could not run here. Absent when an earlier check failed. */
  readonly skipReason?: string;
  readonly transcript: readonly TranscriptEvent[];
  readonly outputs: readonly ProgramOutput[];
  /** Programs of the run not shown in `outputs`: started by other scenarios, whose checks passed. */
  readonly otherRuns?: number;
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
  readonly resources: { readonly pids: readonly number[]; readonly ports: readonly number[] };
  /** How programs were contained: "bubblewrap, cgroup v1", "process group", … */
  readonly containment: string;
  /** Set when only one check (and what it needs) was run: the lesson as a whole was not graded. */
  readonly only?: string;
  /** How long the run waited on timers the program chose (CheckContext.waitedOnProgram), in its longest scenario. */
  readonly programWaitMs?: number;
}

export interface GradeRequest {
  readonly lesson: Lesson;
  /** Folder laid out like exercises/: it holds one folder per lesson slug. */
  readonly root: string;
  readonly seed: number;
  /** Run every program in a bubblewrap box (Linux; see run/sandbox.ts). */
  readonly sandbox?: boolean;
  /** Grade over IPv6 (HOST=::1). */
  readonly ipv6?: boolean;
  /** Run only this check, after the checks of its scenario that come before it. */
  readonly only?: string;
  /** After a failure, start no scenario that comes after it in course order. */
  readonly bail?: boolean;
  /** How many scenarios run at the same time (default SCENARIOS_AT_ONCE). */
  readonly scenariosAtOnce?: number;
  readonly onCheckStart?: (check: CheckInfo, index: number) => void;
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

function outputOf(program: RunningProgram, stage: Stage, started?: StartedBy): ProgramOutput {
  const args = started?.args.length ? `, with ${started.args.map((arg) => JSON.stringify(arg)).join(' ')}` : '';
  return {
    label: started ? `${program.label}, started by ${started.check}${args}` : program.label,
    stdout: stage.toLearnerPaths(program.stdout.text),
    stderr: stage.toLearnerPaths(program.stderr.text),
    truncated: program.stdout.truncated || program.stderr.truncated,
    ending: program.exit ? describeExit(program.exit) : 'still running',
  };
}

/** A check's result with the stage's paths written as the learner's own (a crash's file:line in a summary). */
function inLearnerPaths(result: CheckResult, stage: Stage): CheckResult {
  const { failure } = result;
  const mapped = (text: string | undefined) => (text === undefined ? undefined : stage.toLearnerPaths(text));
  return {
    ...result,
    ...(failure ? { failure: { ...failure, summary: stage.toLearnerPaths(failure.summary), expected: mapped(failure.expected), actual: mapped(failure.actual) } } : {}),
    transcript: result.transcript.map((event) => ({ ...event, text: stage.toLearnerPaths(event.text) })),
  };
}

const leftoverCheck = { id: 'leaves-nothing-behind', title: 'leaves no process holding a port after it is stopped' } as const;

/** The last check of every lesson: nothing the run started still holds one of its ports. */
function leftoverResult(host: string, ports: readonly number[], ownPids: ReadonlySet<number>, outputs: () => readonly ProgramOutput[]): CheckResult {
  const base = { ...leftoverCheck, durationMs: 0, transcript: [], outputs: [] };
  if (!hasProc) return { ...base, status: 'skip', skipReason: 'needs /proc (Linux) to see which process holds a port' };
  const left = socketsLeftBehind(host, ports, ownPids);
  if (left.length === 0) return { ...base, status: 'pass' };
  killLeftovers(left);
  const [first] = left;
  return {
    ...base,
    status: 'fail',
    failure: {
      summary: `after every program was stopped, pid ${first!.pid} (${first!.command}) still held ${first!.socket}${left.length > 1 ? ` and ${left.length - 1} more` : ''}`,
      expected: 'nothing your program started is still running once the grader stops it',
      actual: left.map((entry) => `pid ${entry.pid} holds ${entry.socket}`).join('; '),
      hint: 'A process your program started outlived it. Do not detach children (detached: true, setsid, nohup); a server is one process, and everything it starts must end when it ends.',
    },
    outputs: outputs(),
  };
}

const compileCheck = { id: 'compiles', title: 'every program of the lesson compiles' } as const;

/** The checks grade.ts adds around every lesson's own: no lesson declares them, --check cannot pick them. */
export const BUILT_IN_CHECKS: ReadonlySet<string> = new Set([compileCheck.id, leftoverCheck.id, 'cleanup']);

type LessonBuild = { readonly ok: true; readonly programs: ReadonlyMap<string, string>; readonly durationMs: number } | { readonly ok: false; readonly failure: CheckResult };

/** Compiles every program of the lesson into the stage; a compile error is the learner's first failure. */
async function compileLesson(lesson: Lesson, stage: Stage): Promise<LessonBuild> {
  const programs = new Map<string, string>();
  const outDir = stage.buildDir;
  const started = performance.now();
  for (const { file } of lesson.programs) {
    const result = await compileProgram(path.join(stage.lessonDir, file), stage.lessonDir, outDir);
    if (!result.ok) {
      const [first] = result.problems;
      return {
        ok: false,
        failure: {
          ...compileCheck,
          status: 'fail',
          durationMs: performance.now() - started,
          failure: {
            summary: `${first!.file} does not compile: ${first!.message} (line ${first!.line}, column ${first!.column})`,
            actual: result.problems.flatMap(formatProblem).join('\n'),
            hint: 'Fix the line shown: the grader runs nothing until every program compiles. npx tsc --noEmit -p . (npm run typecheck) lists every error at once.',
          },
          transcript: [],
          outputs: [],
        },
      };
    }
    programs.set(file, result.outfile);
  }
  return { ok: true, programs, durationMs: performance.now() - started };
}

function notCompiled(request: GradeRequest, grading: LessonGrading, failure: CheckResult, lessonDir: string, started: number): LessonResult {
  const { lesson, seed } = request;
  const checks = [failure, ...selectChecks(grading, request.only).flatMap((selected) => selected.checks).map((check) => skippedResult(check))];
  checks.forEach((check, index) => request.onCheckDone?.(check, index));
  return {
    lesson, lessonDir, seed, host: '', status: 'fail', checks, durationMs: performance.now() - started,
    resources: { pids: [], ports: [] }, containment: 'not started', only: request.only,
  };
}

export async function gradeLesson(request: GradeRequest): Promise<LessonResult> {
  const { lesson, root } = request;
  assertLessonFiles(root, lesson);
  const stage = stageLesson(lessonFolder(root, lesson));
  try {
    return await gradeStaged(request, stage);
  } finally {
    stage.remove();
  }
}

async function gradeStaged(request: GradeRequest, stage: Stage): Promise<LessonResult> {
  const { lesson, root, seed } = request;
  const started = performance.now();
  const lessonDir = lessonFolder(root, lesson);
  const grading = await loadGrading(lesson.slug);
  const compiled = await compileLesson(lesson, stage);
  if (!compiled.ok) return notCompiled(request, grading, compiled.failure, lessonDir, started);
  const run = createGradingRun(stage.lessonDir, seed, {
    box: request.sandbox ? { readOnly: [stage.root] } : undefined,
    ipv6: request.ipv6,
    compiled: compiled.programs,
  });
  const { programs } = run;
  // Which check started each program: a failure labels its scenario's runs with it.
  const startedBy = new Map<RunningProgram, StartedBy>();
  const outputsOf = (shown: readonly RunningProgram[] = programs) => shown.map((program) => outputOf(program, stage, startedBy.get(program)));

  let first = 1;
  const plans = selectChecks(grading, request.only).map(({ scenario, checks }, position) => {
    const plan = { scenario, checks, first, position };
    first += checks.length;
    return plan;
  });
  const positionOf = (index: number) => plans.findIndex((plan) => index >= plan.first && index < plan.first + plan.checks.length);

  // With bail, a failure skips the scenarios after it in course order: those not started are
  // skipped, those running are cancelled (their programs stopped, so their waits end now).
  // Those before it still run, so the first failure in course order is the same either way.
  let firstFailed = Infinity;
  const running = new Map<number, ScenarioRun>();
  const results: CheckResult[] = [];
  const order = inCourseOrder<CheckInfo, CheckResult>({ onStart: request.onCheckStart, onDone: request.onCheckDone });
  const report: ScenarioReport = {
    started: (index, check) => order.started(index, check),
    done(index, reported) {
      const result = inLearnerPaths(reported, stage);
      results[index] = result;
      order.done(index, result);
      const position = positionOf(index);
      if (!request.bail || (result.status !== 'fail' && result.status !== 'error') || position < 0 || position > firstFailed) return;
      firstFailed = position;
      for (const [other, scenarioRun] of running) if (other > position) scenarioRun.cancel();
    },
  };
  report.done(0, { ...compileCheck, status: 'pass', durationMs: compiled.durationMs, transcript: [], outputs: [] });

  // The other scenarios start once the first has reported its first check (usually "listens"):
  // a program that ignores PORT would otherwise collide with its own copies on one port.
  let openGate = () => {};
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  await pool(
    plans,
    request.scenariosAtOnce ?? SCENARIOS_AT_ONCE,
    async (plan) => {
      if (plan.position > 0) await gate;
      if (request.bail && firstFailed < plan.position) {
        plan.checks.forEach((check, offset) => report.done(plan.first + offset, skippedResult(check)));
        return;
      }
      const scenarioRun = run.scenario();
      running.set(plan.position, scenarioRun);
      const cancelled = () => Boolean(request.bail) && firstFailed < plan.position;
      const firstCheckDone = plan.position === 0 ? openGate : undefined;
      try {
        await runScenario(plan, scenarioRun, { report, startedBy, outputsOf, otherPrograms: () => programs.length, cancelled, firstCheckDone });
      } catch (error) {
        // Outside any check (a session that would not build): the grader's own error, and the other scenarios go on.
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        plan.checks.forEach((check, offset) => {
          if (!results[plan.first + offset]) report.done(plan.first + offset, { id: check.id, title: check.title, status: 'error', durationMs: 0, error: message, transcript: [], outputs: [] });
        });
      } finally {
        running.delete(plan.position);
      }
    },
  );

  const cleanupError = await run.cleanUp();
  if (cleanupError) {
    const failed: CheckResult = {
      id: 'cleanup',
      title: 'stops every program and frees every port',
      status: 'error',
      durationMs: 0,
      error: cleanupError,
      transcript: [],
      outputs: outputsOf(),
    };
    results.push(failed);
    request.onCheckDone?.(failed, results.length - 1);
  }
  const leftovers = leftoverResult(run.host, run.ports, new Set(programs.flatMap((program) => program.pidsSeen)), outputsOf);
  releasePorts(run.ports);
  results.push(leftovers);
  request.onCheckDone?.(leftovers, results.length - 1);
  // A check skipped for a reason (cannot run on this machine) neither passes nor fails the lesson.
  const status = results.some((r) => r.status === 'error') ? 'error' : results.some((r) => r.status === 'fail') ? 'fail' : 'pass';
  const resources = { pids: programs.flatMap((program) => program.pidsSeen), ports: run.ports };
  const containment = programs[0]?.containment ?? (request.sandbox ? 'bubblewrap' : 'process group');
  const programWaitMs = run.programWaitMs();
  return { lesson, lessonDir, seed, host: run.host, status, checks: results, durationMs: performance.now() - started, resources, containment, only: request.only, ...(programWaitMs > 0 ? { programWaitMs } : {}) };
}
