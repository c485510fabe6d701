import { formatDuration, settledWithin, untilDoneOrStalled } from '../../run/deadline.ts';
import { describeExit, type ExitInfo, type RunningProgram } from '../../run/program.ts';
import { fail, withFact, type Diagnosis } from '../check.ts';

/** Node prints this for an uncaught exception; a stack line starts with "    at ". */
export function crashReport(stderr: string): string | undefined {
  const lines = stderr.split('\n');
  // "RangeError [ERR_BUFFER_OUT_OF_BOUNDS]: …": Node puts an error's code between its name and its message.
  const errorLine = /^\w*Error(?: \[\w+\])?: /;
  const uncaught = lines.some((line) => /Unhandled '\w+' event|^\s+at /.test(line) || errorLine.test(line));
  if (!uncaught) return undefined;
  return lines.find((line) => errorLine.test(line)) ?? lines.find((line) => line.trim()) ?? 'a stack trace';
}

/** The program's exit (its output read to the end), or undefined if it is still running after `ms`. */
export function exitWithin(program: RunningProgram, ms: number): Promise<ExitInfo | undefined> {
  return settledWithin(program.exited, ms);
}

/**
 * Like exitWithin, for a program expected to report a problem and exit: once it has written
 * something and then nothing more for `quietMs`, it is not about to exit either.
 */
export async function exitAfterReport(program: RunningProgram, { deadlineMs, quietMs }: { readonly deadlineMs: number; readonly quietMs: number }): Promise<ExitInfo | undefined> {
  const written = () => program.stdout.text.length + program.stderr.text.length;
  // Before its first byte the program may still be starting: that silence does not count.
  await untilDoneOrStalled(() => !program.running, () => (written() === 0 ? Date.now() : written()), { deadlineMs, stallMs: quietMs });
  return program.running ? undefined : exitWithin(program, deadlineMs);
}

/** Waits for the program to exit by itself; fails, naming the wait, if it does not. */
export async function expectExit(program: RunningProgram, ms: number, after: string): Promise<ExitInfo> {
  const exit = await exitWithin(program, ms);
  if (!exit) {
    fail(`${program.label} was still running ${formatDuration(ms)} after ${after}`, {
      expected: `exits by itself after ${after}`,
      actual: 'still running',
    });
  }
  return exit;
}

/** Fails when the program exited with a non-zero code, naming an uncaught error if there was one. */
/** `chosen`: the diagnosis when it chose a code of its own (no crash, no signal). */
export function expectCleanExit(program: RunningProgram, exit: ExitInfo, chosen?: Diagnosis): void {
  if (exit.code === 0) return;
  const crash = crashReport(program.stderr.text);
  fail(`${program.label} ${describeExit(exit)}${crash ? ` after an uncaught error: ${crash.trim()}` : ''}`, {
    expected: 'exit code 0',
    actual: describeExit(exit),
    diagnosis: !crash && exit.code !== null ? chosen && withFact(chosen, `It exited with code ${exit.code}, with no uncaught error.`) : undefined,
  });
}

export function outputLines(text: string): string[] {
  return text.split('\n').filter((line, index, all) => line !== '' || index < all.length - 1);
}
