// Lesson 6: a connect that fails with another code than ECONNREFUSED, as the program reports it.
import { escapeText } from '../../net/escape.ts';
import { fail } from '../check.ts';
import { crashReport } from '../shared/exit.ts';
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
    hint: errorHint(said, code, Boolean(crash)),
  });
}

function errorHint(said: string | undefined, code: string, crashed: boolean): string {
  if (said === 'closed') return `Only ECONNREFUSED means closed: the host answered that nothing listens there. This connect failed with ${code} (nothing can be reached at that address), which says nothing about the port: report it as \`\${port} error \${err.code}\`.`;
  if (crashed) return 'Handle "error" on every socket, whatever its code: without a listener Node throws and the process dies.';
  if (said === 'timeout') return `The connect failed at once with ${code}: report the "error" event when it comes, as \`\${port} error \${err.code}\`, rather than waiting for a timeout.`;
  if (said?.startsWith('error')) return `Print the error's code itself, err.code (here ${code}), after "error ".`;
  return `An "error" whose err.code is not ECONNREFUSED is reported as \`\${port} error \${err.code}\` (here ${code}).`;
}
