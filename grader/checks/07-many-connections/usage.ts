// Lesson 7: no argument at all is a usage error: a line on stderr, exit code 2, no connection.
import { escapeText } from '../../net/escape.ts';
import { fail } from '../check.ts';
import { scenario } from '../lesson.ts';
import { expectExit } from '../shared/exit.ts';
import { FILE, startMany } from './client-run.ts';
import { diagnoses } from './diagnoses.ts';

export const usage = scenario('no arguments', () => ({}), [
  {
    id: 'usage-error',
    title: 'with no argument, prints a usage line on stderr and exits with code 2, without connecting',
    hint: 'No argument means no message: console.error(a usage line) and process.exitCode = 2, before any connection.',
    async run(context) {
      const run = await startMany(context, 'usage', [], []);
      const exit = await expectExit(run.client, context.ms(5000), 'it started with no argument');
      const stderr = run.client.stderr.text.trim();
      const problems = [
        exit.code !== 2 ? `exit code ${exit.code}` : undefined,
        stderr === '' ? 'nothing on stderr' : undefined,
        run.server.served.length > 0 ? `${run.server.served.length} connection(s)` : undefined,
      ].filter((problem): problem is string => problem !== undefined);
      if (problems.length === 0) return;
      fail(`${FILE} with no argument: ${problems.join(', ')}`, {
        expected: 'a usage line on stderr, exit code 2, no connection',
        actual: `exit code ${exit.code}; stdout: ${(run.client.stdout.text.trim() ? escapeText(run.client.stdout.text.trim()) : '(empty)')}; stderr: ${(stderr ? escapeText(stderr) : '(empty)')}`,
        diagnosis: exit.code === 0 ? diagnoses['no-usage-error'] : undefined,
      });
    },
  },
]);
