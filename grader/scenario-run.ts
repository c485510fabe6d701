// One scenario's checks, run in order against its own programs and transcript: a failure
// skips the rest of its scenario and nothing else.
import { CheckFailure, CheckSkipped } from './checks/check.ts';
import type { CheckInfo, ScenarioCheck, LessonGrading } from './checks/lesson.ts';
import type { ScenarioRun } from './context.ts';
import type { CheckResult, ProgramOutput } from './grade.ts';
import { ProgramExitedError } from './net/connect.ts';
import { DeadlineError } from './run/deadline.ts';
import type { RunningProgram } from './run/program.ts';

export interface StartedBy {
  readonly check: string;
  readonly args: readonly string[];
}

export interface ScenarioReport {
  started(index: number, check: CheckInfo): void;
  done(index: number, result: CheckResult): void;
}

export interface ScenarioPlan {
  readonly scenario: LessonGrading['scenarios'][number];
  readonly checks: readonly ScenarioCheck<unknown>[];
  /** The index of its first check among the lesson's results. */
  readonly first: number;
}

export interface ScenarioWiring {
  readonly report: ScenarioReport;
  /** Filled in here for every program a check starts; read when any failure is shown. */
  readonly startedBy: Map<RunningProgram, StartedBy>;
  readonly outputsOf: (programs: readonly RunningProgram[]) => readonly ProgramOutput[];
  /** How many programs the whole run has started so far. */
  readonly otherPrograms: () => number;
  /** True once an earlier scenario's failure made this one moot: what it sees after is not reported. */
  readonly cancelled: () => boolean;
  /** Called once its first check is reported (the other scenarios wait for the first one's). */
  readonly firstCheckDone?: () => void;
}

/** A check not run: after an earlier failure (no reason), or because it cannot run here (a reason). */
export function skippedResult(check: CheckInfo, why: { readonly skipReason?: string; readonly durationMs?: number } = {}): CheckResult {
  return { id: check.id, title: check.title, status: 'skip', durationMs: why.durationMs ?? 0, ...(why.skipReason ? { skipReason: why.skipReason } : {}), transcript: [], outputs: [] };
}

/** Learner-caused problems become failures; anything else is the grader's own error. */
function asFailure(error: unknown, check: CheckInfo): CheckResult['failure'] | undefined {
  if (error instanceof CheckFailure) {
    const { summary, expected, actual, diagnosis } = error.facts;
    return { summary, expected, actual, hint: diagnosis?.hint ?? check.hint, diagnosis: diagnosis?.id };
  }
  if (error instanceof DeadlineError || error instanceof ProgramExitedError) {
    return { summary: error.message, hint: check.hint };
  }
  return undefined;
}

/** Runs the plan's checks in order, until one fails or the scenario is cancelled. */
export async function runScenario(plan: ScenarioPlan, scenarioRun: ScenarioRun, wiring: ScenarioWiring): Promise<void> {
  let stopped = false;
  try {
    // Inside the try: a session that fails to build must still open the gate for the others.
    const session = plan.scenario.session();
    for (const [offset, check] of plan.checks.entries()) {
      const index = plan.first + offset;
      if (stopped) {
        wiring.report.done(index, skippedResult(check));
      } else {
        const result = await runCheck(check, session, scenarioRun, wiring, index);
        stopped = result.status === 'fail' || result.status === 'error' || wiring.cancelled();
      }
      if (offset === 0) wiring.firstCheckDone?.();
    }
  } finally {
    wiring.firstCheckDone?.();
  }
}

/** Runs one check and reports its result, which it returns. */
async function runCheck(check: ScenarioCheck<unknown>, session: unknown, { context, programs }: ScenarioRun, wiring: ScenarioWiring, index: number): Promise<CheckResult> {
  const { report, startedBy } = wiring;
  report.started(index, check);
  const start: typeof context.start = (file, options) => {
    const program = context.start(file, options);
    startedBy.set(program, { check: check.id, args: options?.args ?? [] });
    return program;
  };
  const checkStarted = performance.now();
  const error = await check.run({ ...context, start }, session).then(
    () => undefined,
    (thrown: unknown) => thrown ?? new Error('a check threw undefined'),
  );
  const durationMs = performance.now() - checkStarted;
  const result = ((): CheckResult => {
    // A cancelled scenario's programs were stopped under it: what it saw is not the learner's doing.
    if (wiring.cancelled()) return skippedResult(check);
    if (error === undefined) return { id: check.id, title: check.title, status: 'pass', durationMs, transcript: [], outputs: [] };
    if (error instanceof CheckSkipped) return skippedResult(check, { skipReason: error.reason, durationMs });
    const failure = asFailure(error, check);
    // A failure shows its own scenario: the whole wire since it began, and the programs it started.
    const shown = wiring.outputsOf(programs);
    return {
      id: check.id,
      title: check.title,
      status: failure ? 'fail' : 'error',
      durationMs,
      failure,
      error: failure ? undefined : error instanceof Error ? (error.stack ?? error.message) : String(error),
      transcript: context.transcript.since(0),
      outputs: shown,
      otherRuns: wiring.otherPrograms() - shown.length,
    };
  })();
  report.done(index, result);
  return result;
}
