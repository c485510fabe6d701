// Lesson 6: the mixed runs, many ports in one run, and what a wrong list of lines shows: the
// right results in another order, lines still missing, or one port reported wrongly.
import type { GraderServer } from '../../net/tcp-server.ts';
import { escapeText } from '../../net/escape.ts';
import { formatDuration } from '../../run/deadline.ts';
import { fail, type CheckContext, type Diagnosis } from '../check.ts';
import { RUN_MS, type PortState } from './contract.ts';
import { diagnoses } from './diagnoses.ts';
import { stateDiagnosis } from './report.ts';
import { FILE, type Run } from './run.ts';

/** The ports of one mixed run, and what each is now. */
export interface Mix {
  readonly ports: number[];
  readonly states: Map<number, PortState>;
  readonly servers: Map<number, GraderServer>;
}

function expectedLines(mix: Mix): string[] {
  return mix.ports.map((port) => `${port} ${mix.states.get(port)}`);
}

/** What went wrong with the first wrong line, as a summary and the mistake it shows. */
interface MixError {
  readonly summary: string;
  readonly diagnosis: Diagnosis | undefined;
}

function mixError(context: CheckContext, run: Run, lines: readonly string[], mix: Mix, round: string, changed: ReadonlySet<number>): MixError {
  const expected = expectedLines(mix);
  const at = expected.findIndex((line, i) => lines[i] !== line);
  if (lines.length === expected.length && [...lines].sort().join('\n') === [...expected].sort().join('\n')) {
    return {
      summary: `${FILE} printed the right results in the wrong order (${round}): line ${at + 1} is ${escapeText(lines[at]!)}, not ${escapeText(expected[at]!)}`,
      diagnosis: diagnoses['completion-order'],
    };
  }
  if (run.program.running && lines.length < expected.length) {
    return {
      summary: `${FILE} printed ${lines.length} of ${expected.length} lines and was still running ${formatDuration(context.ms(RUN_MS))} after it started (${round})`,
      diagnosis: diagnoses['no-connect-timeout'],
    };
  }
  const port = mix.ports[at]!;
  const line = lines.find((printed) => printed.startsWith(`${port} `));
  const stale = changed.has(port) && line !== undefined && line !== expected[at];
  return {
    summary: `${FILE} reported port ${port} wrongly (${round}): ${line ? escapeText(line) : 'no line for it'} instead of ${escapeText(expected[at]!)}${stale ? ', the state it had before the grader changed it' : ''}`,
    // A stale line gets the check's general hint: connect afresh on every run.
    diagnosis: stale ? undefined : stateDiagnosis(port, mix.states.get(port)!, line, run.program.stderr.text),
  };
}

/** Fails, naming the first wrong line, unless the mixed run printed exactly the ports' states in order. */
export function expectMix(context: CheckContext, run: Run, lines: readonly string[], mix: Mix, round: string, changed: ReadonlySet<number>): void {
  const expected = expectedLines(mix);
  if (lines.length === expected.length && lines.every((line, i) => line === expected[i])) return;
  const { summary, diagnosis } = mixError(context, run, lines, mix, round, changed);
  fail(summary, {
    expected: expected.join(' | '),
    actual: lines.length ? lines.join(' | ') : '(nothing on stdout)',
    diagnosis,
  });
}
