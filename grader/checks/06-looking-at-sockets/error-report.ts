// Lesson 6: a connect that fails with another code than ECONNREFUSED, as the program reports it.
import { escapeText } from '../../net/escape.ts';
import { fail, withFact, type Diagnosis } from '../check.ts';
import { crashReport } from '../shared/exit.ts';
import { diagnoses } from './diagnoses.ts';
import { FILE, FILE_ARGS, shown, type Run } from './run.ts';
import type { Unreachable } from './unreachable.ts';

/** Fails unless the run against an unreachable address printed exactly "PORT error CODE", the code the grader's own connect got. */
export function expectErrorReport(run: Run, lines: readonly string[], { host, port, code }: Unreachable): void {
  const want = `${port} error ${code}`;
  if (lines.length === 1 && lines[0] === want) return;
  const said = lines.find((line) => line.startsWith(`${port} `))?.slice(String(port).length + 1);
  const crash = crashReport(run.program.stderr.text);
  fail(`with HOST=${host}, where a connect fails at once with ${code}, ${FILE} ${FILE_ARGS(run)} printed ${shown(lines)}${crash ? ` and crashed: ${crash.trim()}` : ''}`, {
    expected: escapeText(want),
    actual: shown(lines),
    diagnosis: errorDiagnosis(said, code, Boolean(crash)),
  });
}

/** The mistake behind a wrong report of the failed connect; undefined when only the general hint fits. */
function errorDiagnosis(said: string | undefined, code: string, crashed: boolean): Diagnosis | undefined {
  if (said === 'closed') return withFact(diagnoses['error-means-closed'], `This connect failed with ${code}.`);
  if (crashed) return diagnoses['throws-other-errors'];
  if (said === 'timeout') return withFact(diagnoses['waits-after-error'], `It failed with ${code}.`);
  if (said?.startsWith('error')) return withFact(diagnoses['error-without-code'], `Here the code is ${code}.`);
  return undefined;
}
