// Lesson 6: the exit codes of the runs the scenario made, once they ended: 0 when every port
// was open, 1 when any was not.
import { describeExit } from '../../run/program.ts';
import { fail, type Diagnosis } from '../check.ts';
import { need } from '../lesson.ts';
import { expectExit } from '../shared/exit.ts';
import { diagnoses } from './diagnoses.ts';
import { FILE, FILE_ARGS, type Run } from './run.ts';
import type { CheckContext } from '../check.ts';
import type { Ports, PortsCheck, TwentyPortsCheck } from './session.ts';

interface ExitCase {
  readonly run: Run;
  readonly code: 0 | 1;
  readonly what: string;
  /** The mixed run: its first and last ports are open, so a code from one end is wrong there. */
  readonly mixed?: boolean;
}

function exitCases(session: Ports): ExitCase[] {
  const error = need(session.error, 'the failing connect\'s run of reports-closed');
  return [
    { run: need(session.open, 'the open port\'s run of reports-open').run, code: 0, what: 'every port open' },
    { run: need(session.closed, 'the closed port\'s run of reports-closed'), code: 1, what: 'a closed port' },
    ...(error ? [{ run: error.run, code: 1 as const, what: 'a port whose connect failed' }] : []),
  ];
}

function exitCodeDiagnosis({ code, mixed }: ExitCase): Diagnosis {
  if (mixed && code === 1) return diagnoses['exit-code-from-one-port'];
  if (code === 1) return diagnoses['exit-code-never-set'];
  return diagnoses['exit-code-when-all-open'];
}

/** Waits for each run's exit and fails at the first whose code is wrong. */
async function expectExitCodes(context: CheckContext, cases: readonly ExitCase[]): Promise<void> {
  for (const each of cases) {
    const exit = await expectExit(each.run.program, context.ms(5000), 'it printed its report');
    if (exit.code === each.code) continue;
    fail(`${FILE} ${FILE_ARGS(each.run).slice(0, 60)} ${describeExit(exit)} for ${each.what}`, {
      expected: `exit code ${each.code}`,
      actual: describeExit(exit),
      diagnosis: exitCodeDiagnosis(each),
    });
  }
}

const EXIT_HINT = 'Set process.exitCode = results.every((result) => result === "open") ? 0 : 1 once all ports are reported.';

export const exitCodesCheck: PortsCheck = {
  id: 'exit-codes',
  title: 'exits with code 0 when every port is open, 1 when any is not',
  hint: EXIT_HINT,
  run: (context, session) => expectExitCodes(context, exitCases(session)),
};

export const mixExitCodeCheck: TwentyPortsCheck = {
  id: 'exit-code-of-mix',
  title: 'exits with code 1 for twenty ports whose first and last are open and others not',
  hint: EXIT_HINT,
  run: (context, session) =>
    expectExitCodes(context, [{ run: need(session.mixed, 'the first run of argument-order'), code: 1, what: 'a mix of open and closed ports, the first and the last open', mixed: true }]),
};
