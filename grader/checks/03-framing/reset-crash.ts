// Naming why lesson 3's server died after a client reset its connection, from what it printed.
import type { RunningProgram } from '../../run/program.ts';
import { describeExit } from '../../run/program.ts';
import { fail, type Diagnosis } from '../check.ts';
import { crashReport, exitWithin } from '../shared/exit.ts';
import { diagnoses } from './diagnoses.ts';

/** Why a server died after a reset, from the way Node reported it. */
export function diagnoseResetCrash(stderr: string): Diagnosis {
  if (stderr.includes("Unhandled 'error' event")) return diagnoses['no-error-listener'];
  if (stderr.includes('fromPromise')) return diagnoses['for-await-uncaught-reset'];
  return diagnoses['dies-of-reset'];
}

/** Fails if `server` exits within `ms`: it died of the reset. */
export async function failIfDiedOfReset(server: RunningProgram, ms: number): Promise<void> {
  const exit = await exitWithin(server, ms);
  if (!exit) return;
  const crash = crashReport(server.stderr.text);
  fail(`${server.label} ${describeExit(exit)} after a client reset its connection${crash ? `: ${crash.trim()}` : ''}`, {
    expected: 'keeps running and serves the next client',
    actual: describeExit(exit),
    diagnosis: diagnoseResetCrash(server.stderr.text),
  });
}
