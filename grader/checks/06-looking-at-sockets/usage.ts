// Lesson 6: arguments that are not ports, and why each is not.
import { escapeText } from '../../net/escape.ts';
import { describeExit } from '../../run/program.ts';
import { fail } from '../check.ts';
import { crashReport } from '../shared/exit.ts';
import { FILE, printedLines, shown, type Run } from './run.ts';

/** Why the first bad argument is not a port, in terms of the parse mistake that lets it through. */
function whyNotAPort(args: readonly string[]): string {
  const bad = args.find((arg) => !/^[1-9]\d*$/.test(arg) || Number(arg) > 65535) ?? '';
  return `${escapeText(bad)} is not a port: ${reason(bad)}`;
}

function reason(bad: string): string {
  if (!/^\d+$/.test(bad) && Number.isInteger(Number(bad))) return `Number("${escapeText(bad)}") is ${Number(bad)}, a whole number, so Number.isInteger(Number(arg)) lets it through: Number() also reads hexadecimal (0x50), exponents (1e3), a sign (+80), a ".0" and spaces around the digits. Test the text itself: /^[1-9]\\d*$/.`;
  if (/^\d+\D/.test(bad)) return `parseInt("${bad}") is ${parseInt(bad, 10)} because it stops at the first non-digit, but "${bad}" is not a number at all (Number("${bad}") is NaN). Accept digits only: /^[1-9]\\d*$/.`;
  if (/^0\d+$/.test(bad)) return `it has a leading zero. Number("${bad}") is ${Number(bad)}, but a port is written without one, and many tools read a leading 0 as octal. Accept /^[1-9]\\d*$/ only.`;
  if (!/^\d+$/.test(bad)) return `it is not a whole decimal number (Number("${bad}") is ${Number(bad)}).`;
  if (Number(bad) === 65536) return 'ports are 16-bit, so 65535 is the largest and 65536 is one past it: test port <= 65535 (net.connect throws ERR_SOCKET_BAD_PORT for 65536).';
  if (Number(bad) === 0) return 'port 0 means "any free port" to bind(), and nothing can be connected to on it; ports to check go from 1 to 65535.';
  return `ports go from 1 to 65535, and net.connect throws ERR_SOCKET_BAD_PORT for ${bad}.`;
}

/**
 * Arguments that are not ports, each refused by a different part of the rule "digits only, no
 * leading zero, 1 to 65535": Number.isInteger(Number(arg)) accepts 0x50, 1e3, 80.0, +80, " 80"
 * and 047531; parseInt accepts 8080x; 65536 is one past the top.
 */
export const BAD_ARGUMENTS = ['abc', '0', '70000', '8080x', '0x50', '1e3', '80.0', '+80', ' 80', '047531', '65536'];

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
    hint: usageHint(run, stderr.length, printed.length, Boolean(crash)),
  });
}

function usageHint(run: Run, stderrLines: number, printedLines: number, crashed: boolean): string {
  const code = run.program.exit?.code;
  const shownArgs = run.args.map((arg) => escapeText(arg)).join(' ');
  if (crashed && run.args.length) return `Do not let a bad argument reach net.connect or throw: ${whyNotAPort(run.args)} A stack trace is not a usage message: check every argument first, then console.error one line and set process.exitCode = 2.`;
  if (code === 2 && printedLines) return `You checked ports before rejecting ${shownArgs}: validate every argument first, then connect.`;
  if (code === 2 && stderrLines !== 1) return 'Print exactly one line on stderr, such as "usage: portcheck.ts PORT... (each PORT from 1 to 65535)".';
  if (run.args.length === 0) return 'With no arguments there is nothing to check: that is a usage error too (exit code 2, one line on stderr).';
  return `${whyNotAPort(run.args)} Refuse it before connecting: console.error one usage line and set process.exitCode = 2.`;
}
