// When a program's stdout first got something, to within a few milliseconds: a diagnosis can
// then say whether it printed on the wire's events or during a silence.
import type { RunningProgram } from '../../run/program.ts';
import type { CheckContext } from '../check.ts';

export interface FirstOutput {
  /** Date.now() when stdout was first seen non-empty. */
  at?: number;
}

const POLL_MS = 10;

export function watchFirstOutput(context: CheckContext, program: RunningProgram): FirstOutput {
  const seen: FirstOutput = {};
  const timer = setInterval(() => {
    if (program.stdout.total > 0) seen.at = Date.now();
    if (seen.at !== undefined || !program.running) clearInterval(timer);
  }, POLL_MS);
  context.onCleanup(() => clearInterval(timer));
  return seen;
}
