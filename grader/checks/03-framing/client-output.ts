// Reading what lesson 3's client printed.
import { pollUntil, sleep } from '../../run/deadline.ts';
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
