// Reading what lesson 3's client printed.
import { sleep, untilDoneOrStalled } from '../../run/deadline.ts';
import type { RunningProgram } from '../../run/program.ts';
import { outputLines } from '../shared/exit.ts';

export const CLIENT = 'client.ts';
import { MiB } from '../../net/byte-window.ts';

export { MiB };

/**
 * Whether a line the client finished (its newline printed) is not the one expected at its
 * place, or is one more than expected: a finished line never changes, so waiting cannot mend it.
 */
export function printedWrongLine(text: string, expected: readonly string[]): boolean {
  const finished = text.split('\n').slice(0, -1);
  return finished.length > expected.length || finished.some((line, i) => line !== expected[i]);
}

/**
 * The client's output, once it printed the `expected` lines, a wrong one, or exited; or once
 * neither its output nor `progress` (say, the bytes a proxy passed on to it) moved for `stallMs`.
 */
export async function printedLines(
  client: RunningProgram,
  expected: readonly string[],
  { deadlineMs, stallMs, progress }: { readonly deadlineMs: number; readonly stallMs: number; readonly progress: () => number },
): Promise<{ readonly lines: string[]; readonly stalled: boolean }> {
  const done = () => !client.running || outputLines(client.stdout.text).length >= expected.length || printedWrongLine(client.stdout.text, expected);
  const waited = await untilDoneOrStalled(done, () => client.stdout.text.length + progress(), { deadlineMs, stallMs });
  await sleep(50);
  return { lines: outputLines(client.stdout.text), stalled: waited === 'stalled' };
}
