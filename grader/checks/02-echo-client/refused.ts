// What the client said when its connect was refused: one line on stderr naming the error code
// and where it tried (HOST:PORT), and no success line on stdout.
import { escapeText } from '../../net/escape.ts';
import type { RunningProgram } from '../../run/program.ts';
import { fail } from '../check.ts';
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
      hint: lines.length === 0 ? 'Print the failure with console.error in the socket\'s "error" listener: stderr is where a user (and a script) looks for it.' : undefined,
    });
  }
  const line = lines[0]!;
  const code = /\bECONNREFUSED\b/.test(line);
  const place = namesWhere(line, host, port);
  if (!code || !place) {
    fail(`${file}'s error line names ${code ? 'the error code but not where it tried to connect' : place ? 'where it tried to connect but not the error code' : 'neither the error code nor where it tried to connect'}`, {
      expected,
      actual: escapeText(line),
      hint: !code && !place
        ? `The line names neither the error code nor the address: a user cannot tell what failed or where. Build it from both: console.error(\`cannot connect to \${HOST}:\${PORT}: \${err.code}\`).`
        : !place
          ? `The line says why but not where: add HOST:PORT (${where} here), so the user sees which server was tried, e.g. \`cannot connect to \${HOST}:\${PORT}: \${err.code}\`.`
          : 'The line says where but not why: add err.code (ECONNREFUSED here), the reason the kernel gave. A sentence of your own may say what it means, but the code is what a user can look up.',
    });
  }
  const success = program.stdout.text.split('\n').find((text) => /Received/.test(text));
  if (success !== undefined) {
    fail(`${file} printed a success line on stdout although its connection was refused`, {
      expected: 'nothing saying "Received" on stdout: nothing was received',
      actual: escapeText(program.stdout.text),
      hint: 'A success line after a refused connect comes from a handler that runs on failure too: "close" fires after "error" (with hadError = true), and a finally or a catch-all runs either way. Print in "end", which comes only when a connection that was made is closed by the server.',
    });
  }
}
