// Lesson 2: a port nothing listens on. One line on stderr naming the code and HOST:PORT, exit 1.
import { fail } from '../check.ts';
import { scenario } from '../lesson.ts';
import { crashReport, expectExit } from '../shared/exit.ts';
import { FILE } from './client-run.ts';
import { diagnoses } from './diagnoses.ts';
import { expectRefusedReport } from './refused.ts';

export const nothingListens = scenario('nothing listens on the port', () => ({}), [
  {
    id: 'reports-refused',
    title: 'with nothing listening, prints one line naming ECONNREFUSED and HOST:PORT and exits non-zero',
    hint: 'Handle the socket\'s "error" event: console.error(`cannot connect to ${HOST}:${PORT}: ${err.code}`) and process.exitCode = 1. No stack trace.',
    async run(context) {
      const port = await context.freePort();
      const refused = context.start(FILE, { port, args: ['nobody listens'] });
      const exit = await expectExit(refused, context.ms(8000), 'its connection was refused');
      const stderr = refused.stderr.text.trim();
      const crash = crashReport(refused.stderr.text);
      const lines = stderr.split('\n').filter((line) => line.trim());
      if (exit.code === 0) {
        fail(`${FILE} exited with code 0 although it could not connect`, {
          expected: 'a non-zero exit code',
          actual: 'exit code 0',
          diagnosis: diagnoses['error-exits-zero'],
        });
      }
      if (crash) {
        // Node's own report of an uncaught error names the event; a program that prints the Error itself does not.
        const uncaught = /Unhandled 'error' event|^\s*throw /m.test(stderr);
        fail(`${FILE} ${uncaught ? 'crashed with an uncaught error instead of reporting it' : 'printed a stack trace instead of one line'}: ${crash.trim()}`, {
          expected: 'one line such as "cannot connect to 127.0.0.1:4000: ECONNREFUSED"',
          actual: `${lines.length} lines of stack trace`,
          diagnosis: uncaught ? diagnoses['no-error-listener'] : diagnoses['prints-stack'],
        });
      }
      expectRefusedReport(refused, context.host, port);
    },
  },
]);
