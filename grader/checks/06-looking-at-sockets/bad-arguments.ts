// Lesson 6's first scenario: runs with no argument or one that is not a port, all at once.
import { scenario } from '../lesson.ts';
import { exitWithin } from '../shared/exit.ts';
import { RUN_MS } from './contract.ts';
import { openPort } from './open-port.ts';
import { startChecker } from './run.ts';
import { BAD_ARGUMENTS, expectUsageError } from './usage.ts';

export const badArguments = scenario('arguments that are not ports', () => ({}), [
  {
    id: 'usage-errors',
    title: `rejects a bad argument (none, ${BAD_ARGUMENTS.map((arg) => JSON.stringify(arg)).join(', ')}) with exit code 2 and one line on stderr, before any connect`,
    hint: 'Check every argument before connecting anywhere: /^[1-9]\\d*$/.test(arg) and Number(arg) <= 65535. Otherwise console.error one usage line and set process.exitCode = 2.',
    async run(context) {
      const port = await context.freePort();
      await openPort(context, port, 'greeting');
      const argLists = [[], ...BAD_ARGUMENTS.map((arg) => (arg === '70000' ? [String(port), arg] : [arg]))];
      const cases = argLists.map((args) => startChecker(context, args));
      await Promise.all(cases.map((run) => exitWithin(run.program, context.ms(RUN_MS))));
      for (const run of cases) expectUsageError(run);
    },
  },
]);
