// Lesson 6: arguments that are not ports, and which parse mistake lets each through.
import { escapeText } from '../../net/escape.ts';
import { describeExit } from '../../run/program.ts';
import { fail, withFact, type Diagnosis } from '../check.ts';
import { crashReport } from '../shared/exit.ts';
import { diagnoses } from './diagnoses.ts';
import { FILE, printedLines, shown, type Run } from './run.ts';

/**
 * Arguments that are not ports, each refused by a different part of the rule "digits only, no
 * leading zero, 1 to 65535": Number.isInteger(Number(arg)) accepts 0x50, 1e3, 80.0, +80, " 80"
 * and 047531; parseInt accepts 8080x; 65536 is one past the top.
 */
export const BAD_ARGUMENTS = ['abc', '0', '70000', '8080x', '0x50', '1e3', '80.0', '+80', ' 80', '047531', '65536'];

/** The parse mistake that lets `bad` through, with what this argument shows of it. */
function parseMistake(bad: string): { readonly diagnosis: Diagnosis; readonly fact: string } {
  const shownBad = escapeText(bad);
  if (!/^\d+$/.test(bad) && Number.isInteger(Number(bad))) return { diagnosis: diagnoses['number-accepts-notation'], fact: `Number(${shownBad}) is ${Number(bad)}, a whole number.` };
  if (/^\d+\D/.test(bad)) return { diagnosis: diagnoses['parseint-accepts-suffix'], fact: `parseInt("${bad}") is ${parseInt(bad, 10)}, but Number("${bad}") is NaN.` };
  if (/^0\d+$/.test(bad)) return { diagnosis: diagnoses['accepts-leading-zero'], fact: `It has a leading zero (Number("${bad}") is ${Number(bad)}).` };
  if (!/^\d+$/.test(bad)) return { diagnosis: diagnoses['accepts-non-number'], fact: `Number(${shownBad}) is ${Number(bad)}.` };
  if (Number(bad) === 65536) return { diagnosis: diagnoses['upper-bound-off-by-one'], fact: '65536 is one past the largest port.' };
  return { diagnosis: diagnoses['accepts-out-of-range'], fact: `${bad} is outside 1 to 65535.` };
}

/** The bad argument of a run and why it is not a port, as the diagnosis of the parse mistake. */
function notAPort(args: readonly string[], crashed: boolean): Diagnosis {
  const bad = args.find((arg) => !/^[1-9]\d*$/.test(arg) || Number(arg) > 65535) ?? '';
  const { diagnosis, fact } = parseMistake(bad);
  const crash = crashed ? 'Do not let a bad argument reach net.connect or throw: a stack trace is not a usage message. ' : '';
  return withFact(diagnosis, `${crash}${escapeText(bad)} is not a port: ${fact}`);
}

/** A line a port checker prints for a port: "8080 open", "8080 error ENETUNREACH". */
const PORT_LINE = /^\S+ (?:open|closed|timeout|error\b)/;

function usageDiagnosis(run: Run, stderrLines: number, printed: readonly string[], crashed: boolean): Diagnosis {
  const code = run.program.exit?.code;
  if (crashed && run.args.length === 0) return diagnoses['usage-thrown'];
  if (crashed) return notAPort(run.args, true);
  if (printed.length && !printed.some((line) => PORT_LINE.test(line)) && stderrLines === 0) return diagnoses['usage-on-stdout'];
  if (code === 2 && printed.length) return withFact(diagnoses['connects-before-validating'], `Given ${run.args.map((arg) => escapeText(arg)).join(' ')}:`);
  if (code === 2 && stderrLines !== 1) return diagnoses['usage-not-one-line'];
  if (run.args.length === 0) return diagnoses['no-arguments-accepted'];
  return notAPort(run.args, false);
}

/** Fails unless a run with a bad argument (or none) exited 2 with one line on stderr and nothing on stdout. */
export function expectUsageError(run: Run): void {
  const { program } = run;
  const shownArgs = run.args.length ? run.args.map((arg) => escapeText(arg)).join(' ') : 'no arguments';
  const stderr = program.stderr.text.split('\n').filter((line) => line.trim());
  const crash = crashReport(program.stderr.text);
  const printed = printedLines(program);
  const exitText = program.exit ? describeExit(program.exit) : 'still running';
  if (program.exit?.code === 2 && stderr.length === 1 && !crash && printed.length === 0) return;
  fail(`with ${shownArgs}, ${FILE} ${exitText}${crash ? ` after an uncaught error: ${crash.trim()}` : ''}`, {
    expected: 'exit code 2, one usage line on stderr, nothing on stdout',
    actual: `${exitText}; stderr: ${stderr.length} line(s)${stderr.length ? ` (${escapeText(stderr[0]!, 80)})` : ''}; stdout: ${shown(printed)}`,
    diagnosis: usageDiagnosis(run, stderr.length, printed, Boolean(crash)),
  });
}
