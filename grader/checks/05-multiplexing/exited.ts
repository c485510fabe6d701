// A line server keeps running whatever its clients do: a check that finds it ended fails
// with how it ended and what it printed last.
import { fail, type Diagnosis } from '../check.ts';
import { settledWithin } from '../../run/deadline.ts';
import type { RunningProgram } from '../../run/program.ts';
import { crashReport } from '../shared/exit.ts';
import { FILE } from './session.ts';

/** What a crashed server printed, named for the learner. */
function crashOf(program: RunningProgram): string {
  const stderr = program.stderr.text;
  if (/heap out of memory/i.test(stderr)) return 'JavaScript heap out of memory';
  return crashReport(stderr)?.trim() ?? (stderr.trim().split('\n').at(-1) || 'no message');
}

export function failIfExited(program: RunningProgram, during: string, diagnosis?: Diagnosis): void {
  if (program.running) return;
  fail(`${FILE} ${program.exit?.signal ? `was killed by ${program.exit.signal}` : `exited with code ${program.exit?.code}`} ${during}: ${crashOf(program)}`, {
    expected: 'the server keeps running and serving its other clients',
    actual: 'the server process ended',
    diagnosis,
  });
}

/** Waits up to `ms` for the program to end: a dying server's closed connections are seen before its exit. */
export async function untilExitOr(program: RunningProgram, ms: number): Promise<void> {
  if (program.running) await settledWithin(program.exited, ms);
}
