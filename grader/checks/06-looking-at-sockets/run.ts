// Lesson 6: one run of portcheck.ts, and what it printed and when.
import { escapeText } from '../../net/escape.ts';
import { sleep } from '../../run/deadline.ts';
import type { RunningProgram } from '../../run/program.ts';
import type { CheckContext } from '../check.ts';
import { outputLines } from '../shared/exit.ts';

export const FILE = 'portcheck.ts';
/** How often the grader looks at the output. */
const POLL_MS = 20;

/** One run of the checker: the program, its arguments, and when the grader saw its lines and its exit. */
export interface Run {
  readonly program: RunningProgram;
  readonly args: readonly string[];
  /** Date.now() when the grader first saw each complete line, in order (see untilLinesOrExit). */
  readonly lineSeenAt: number[];
  /** Date.now() when the grader saw the program end. */
  exitedAt?: number;
}

export const FILE_ARGS = (run: Run) => run.args.join(' ');

export function startChecker(context: CheckContext, args: readonly string[], env?: Record<string, string>): Run {
  const run: Run = { program: context.start(FILE, { args, env }), args, lineSeenAt: [] };
  void run.program.exited.then(() => {
    run.exitedAt = Date.now();
  });
  return run;
}

/** Complete lines printed so far, without trailing spaces or a carriage return. */
export function printedLines(program: RunningProgram): string[] {
  const text = program.stdout.text;
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return outputLines(complete).map((line) => line.trimEnd()).filter((line) => line !== '');
}

/** The complete lines so far, noting when each new one was first seen. */
export function observe(run: Run): string[] {
  const lines = printedLines(run.program);
  const now = Date.now();
  while (run.lineSeenAt.length < lines.length) run.lineSeenAt.push(now);
  return lines;
}

/**
 * Waits until the program printed `count` lines or exited (its output read to the end), at most
 * `ms` or until `hopeless()` says no line can come in time; it polls the output so that each
 * line's time is known within a poll; `onPoll` runs at every look.
 */
export async function untilLinesOrExit(run: Run, count: number, ms: number, onPoll?: () => void, hopeless?: () => boolean): Promise<string[]> {
  const end = Date.now() + ms;
  onPoll?.();
  while (run.program.running && observe(run).length < count && Date.now() < end && !hopeless?.()) {
    await Promise.race([sleep(POLL_MS), run.program.exited]);
    onPoll?.();
  }
  return observe(run);
}

export function shown(lines: readonly string[]): string {
  return lines.length ? lines.map((line) => escapeText(line)).join(', ') : '(nothing on stdout)';
}
