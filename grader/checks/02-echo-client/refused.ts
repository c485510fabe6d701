// What the client said when its connect was refused: one line on stderr naming the error code
// and where it tried (HOST:PORT), and no success line on stdout.
import { escapeText } from '../../net/escape.ts';
import type { RunningProgram } from '../../run/program.ts';
import { fail, withFact } from '../check.ts';
import { diagnoses } from './diagnoses.ts';
import { hostPort } from '../shared/listening.ts';

/** HOST:PORT as a learner prints it: `${HOST}:${PORT}` (IPv6 too, unbracketed, as Node's own messages do) or bracketed. */
function namesWhere(line: string, host: string, port: number): boolean {
  return line.includes(`${host}:${port}`) || line.includes(hostPort(host, port));
}

export function expectRefusedReport(program: RunningProgram, host: string, port: number): void {
  const file = program.label;
  const stderr = program.stderr.text.trim();
  const lines = stderr.split('\n').filter((line) => line.trim());
  const where = hostPort(host, port);
  const expected = `one line on stderr naming ECONNREFUSED and ${where}, e.g. "cannot connect to ${where}: ECONNREFUSED"`;
  if (lines.length !== 1) {
    fail(`${file} printed ${lines.length} lines on stderr instead of one when its connection was refused`, {
      expected,
      actual: stderr ? escapeText(stderr) : '(nothing on stderr)',
      diagnosis: lines.length === 0 ? diagnoses['error-not-on-stderr'] : undefined,
    });
  }
  const line = lines[0]!;
  const code = /\bECONNREFUSED\b/.test(line);
  const place = namesWhere(line, host, port);
  if (!code || !place) {
    fail(`${file}'s error line names ${code ? 'the error code but not where it tried to connect' : place ? 'where it tried to connect but not the error code' : 'neither the error code nor where it tried to connect'}`, {
      expected,
      actual: escapeText(line),
      diagnosis: !code && !place ? diagnoses['error-names-neither'] : !place ? withFact(diagnoses['error-names-no-address'], `The address here is ${where}.`) : diagnoses['error-names-no-code'],
    });
  }
  const success = program.stdout.text.split('\n').find((text) => /Received/.test(text));
  if (success !== undefined) {
    fail(`${file} printed a success line on stdout although its connection was refused`, {
      expected: 'nothing saying "Received" on stdout: nothing was received',
      actual: escapeText(program.stdout.text),
      diagnosis: diagnoses['success-after-refused'],
    });
  }
}
