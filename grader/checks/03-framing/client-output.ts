// Reading what lesson 3's client printed.
import { pollUntil, sleep, untilDoneOrStalled } from '../../run/deadline.ts';
import type { RunningProgram } from '../../run/program.ts';
import { outputLines } from '../shared/exit.ts';

export const CLIENT = 'client.ts';
import { MiB } from '../../net/byte-window.ts';

export { MiB };

/** The client's output, once it printed `count` lines or exited. */
export async function printedLines(client: RunningProgram, count: number, ms: number): Promise<string[]> {
  await pollUntil(() => (!client.running || outputLines(client.stdout.text).length >= count ? true : undefined), ms, `${CLIENT} to print ${count} lines`).catch(() => undefined);
  // A moment more, so a line printed too many shows up.
  await sleep(50);
  return outputLines(client.stdout.text);
}

/**
 * Like printedLines, but gives up early once neither the client's output nor `progress` (say,
 * the bytes a proxy passed on to it) has moved for `stallMs`.
 */
export async function printedLinesUnlessStalled(
  client: RunningProgram,
  count: number,
  { deadlineMs, stallMs, progress }: { readonly deadlineMs: number; readonly stallMs: number; readonly progress: () => number },
): Promise<{ readonly lines: string[]; readonly stalled: boolean }> {
  const done = () => !client.running || outputLines(client.stdout.text).length >= count;
  const waited = await untilDoneOrStalled(done, () => client.stdout.text.length + progress(), { deadlineMs, stallMs });
  await sleep(50);
  return { lines: outputLines(client.stdout.text), stalled: waited === 'stalled' };
}
