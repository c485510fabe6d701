// What a lesson's grading is: scenarios in course order, each a run of the learner's programs
// with its own session (the programs and peers its checks share), and the diagnoses its checks
// can make. Nothing is shared between scenarios, so one can run without the others.
import type { CheckContext, Diagnosis } from './check.ts';

/** What a check is, apart from how it runs: shown in reports and listings. */
export interface CheckInfo {
  /** Stable id for JSON reports and class summaries: "echoes-binary". */
  readonly id: string;
  /** One observable behaviour: "echoes all 256 byte values unchanged". */
  readonly title: string;
  /** What usually causes this check to fail: the hint when no diagnosis was made. */
  readonly hint: string;
}

export interface ScenarioCheck<S> extends CheckInfo {
  run(context: CheckContext, session: S): Promise<void>;
}

export interface Scenario<S = never> {
  /** What this run of the programs is for: "one client, served whole". */
  readonly name: string;
  /** A fresh session for each grading: the only state its checks share. */
  readonly session: () => S;
  /** In order: each may use what the ones before it put in the session. */
  readonly checks: readonly ScenarioCheck<S>[];
}

/** Declares a scenario; `S` is inferred from `session`, so every check sees it typed. */
export function scenario<S>(name: string, session: () => S, checks: readonly ScenarioCheck<S>[]): Scenario<S> {
  return { name, session, checks };
}

export interface LessonGrading {
  // Each scenario has its own session type; the grader only passes a session back to its own checks.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly scenarios: readonly Scenario<any>[];
  readonly diagnoses: Readonly<Record<string, Diagnosis>>;
  /** What a grading must wait by design (a pause the checks need, a time-out the contract sets): the bench compares against it. */
  readonly floor?: { readonly ms: number; readonly why: string };
}

export function defineLesson(grading: LessonGrading): LessonGrading {
  const ids = checksOf(grading).map((check) => check.id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated) throw new Error(`check id ${repeated} is used twice in one lesson`);
  return grading;
}

/** Every check of the lesson, in course order. */
export function checksOf(grading: LessonGrading): CheckInfo[] {
  return grading.scenarios.flatMap((each) => each.checks.map(({ id, title, hint }) => ({ id, title, hint })));
}

/**
 * A session that a check fills in for the checks after it: reading it before it is set is a
 * grader bug (the checks ran out of order), never the learner's failure.
 */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not set: the scenario's checks ran out of order`);
  return value;
}

/**
 * The scenarios to run, each with the checks to run of it: all of them, or for `only` just the
 * scenario holding that check, up to it (the checks before it in its scenario set up its session).
 */
export function selectChecks(grading: LessonGrading, only?: string): { readonly scenario: LessonGrading['scenarios'][number]; readonly checks: readonly ScenarioCheck<unknown>[] }[] {
  if (only === undefined) return grading.scenarios.map((scenario) => ({ scenario, checks: scenario.checks }));
  const scenario = grading.scenarios.find((each) => each.checks.some((check) => check.id === only));
  if (!scenario) return [];
  const upTo = scenario.checks.findIndex((check) => check.id === only);
  return [{ scenario, checks: scenario.checks.slice(0, upTo + 1) }];
}
