// Lesson 6: what a one-port run printed for a port whose state the grader made, and the mistake
// a wrong line shows.
import { escapeText } from '../../net/escape.ts';
import { formatDuration } from '../../run/deadline.ts';
import { describeExit } from '../../run/program.ts';
import { fail, type Diagnosis } from '../check.ts';
import { crashReport } from '../shared/exit.ts';
import type { PortState } from './contract.ts';
import { diagnoses } from './diagnoses.ts';
import { FILE, FILE_ARGS, shown, type Run } from './run.ts';

/** The mistake a wrong report of a port shows, from its line and how the program ended; undefined when only the general hint fits. */
export function stateDiagnosis(port: number, expected: PortState, line: string | undefined, stderr: string): Diagnosis | undefined {
  const said = line?.slice(String(port).length + 1);
  if (expected === 'open' && (said === 'closed' || /ECONNREFUSED/.test(stderr))) return diagnoses['ignores-host'];
  if (expected === 'open' && said === 'timeout') return diagnoses['waits-for-data'];
  if (expected === 'closed' && said === 'open') return diagnoses['error-means-open'];
  if (expected === 'closed' && crashReport(stderr)) return diagnoses['no-error-listener'];
  if (expected === 'timeout' && said?.startsWith('error ')) return diagnoses['timeout-reported-as-error'];
  if (expected === 'timeout') return diagnoses['no-connect-timeout'];
  return undefined;
}

/** How long the run has gone without a line, to the tenth of a second. */
const silentFor = (run: Run) => Math.round((Date.now() - run.program.startedAt) / 100) * 100;

/** The summary of a wrong one-port report: a crash, silence, or what it printed. */
function reportSummary(run: Run, lines: readonly string[], port: number, what: string): string {
  const { program } = run;
  if (crashReport(program.stderr.text) && lines.length === 0) return `${FILE} crashed instead of reporting port ${port}: ${crashReport(program.stderr.text)!.trim()}`;
  if (lines.length === 0 && program.running) return `${FILE} ${FILE_ARGS(run)} printed nothing in ${formatDuration(silentFor(run))} and was still running, for ${what}`;
  const how = program.exit ? `, then ${describeExit(program.exit)}` : '';
  return `${FILE} ${FILE_ARGS(run)} printed ${shown(lines)}${how} for ${what}`;
}

/** Fails unless the one-port run printed exactly "PORT STATE". */
export function expectReport(run: Run, lines: readonly string[], port: number, expected: PortState): void {
  const want = `${port} ${expected}`;
  if (lines.length === 1 && lines[0] === want) return;
  const { program } = run;
  const how = program.exit ? `, then ${describeExit(program.exit)}` : '';
  const what = expected === 'timeout' ? 'a port that never answers' : `a port that is ${expected}`;
  fail(reportSummary(run, lines, port, what), {
    expected: escapeText(want),
    actual: program.running && lines.length === 0 ? `nothing printed after ${formatDuration(silentFor(run))}, still running` : `${shown(lines)}${how}`,
    diagnosis: stateDiagnosis(port, expected, lines.find((line) => line.startsWith(`${port} `)), program.stderr.text),
  });
}
