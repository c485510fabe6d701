// Lesson 6's first scenario: runs with no argument or one that is not a port, all at once, then
// one with the smallest and the largest port, which must be checked like any other.
import { escapeText } from '../../net/escape.ts';
import { describeExit } from '../../run/program.ts';
import { fail } from '../check.ts';
import { scenario } from '../lesson.ts';
import { exitWithin } from '../shared/exit.ts';
import { RUN_MS } from './contract.ts';
import { diagnoses } from './diagnoses.ts';
import { openPort } from './open-port.ts';
import { FILE, printedLines, shown, startChecker, untilLinesOrExit } from './run.ts';
import { BAD_ARGUMENTS, expectUsageError } from './usage.ts';

/** The first and the last port there is. */
const EDGE_PORTS = [1, 65535];

export const badArguments = scenario('arguments that are not ports, and the edge ports', () => ({}), [
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
  {
    id: 'accepts-edge-ports',
    title: `takes the smallest and the largest port, ${EDGE_PORTS.join(' and ')}, as ports, not a usage error`,
    hint: 'Ports go from 1 to 65535, both included: refuse a number only when it is below 1 or above 65535.',
    async run(context) {
      const run = startChecker(context, EDGE_PORTS.map(String));
      await untilLinesOrExit(run, EDGE_PORTS.length, context.ms(RUN_MS));
      await exitWithin(run.program, context.ms(RUN_MS));
      // Only the refusal is judged here: what it prints for each port, the later checks judge.
      if (run.program.exit?.code !== 2) return;
      fail(`${FILE} ${EDGE_PORTS.join(' ')} refused ports that exist`, {
        expected: EDGE_PORTS.map((port) => `${port} open or ${port} closed`).join(', then '),
        actual: `${shown(printedLines(run.program))}; ${describeExit(run.program.exit)}; stderr: ${escapeText(run.program.stderr.text.trim().split('\n')[0] ?? '', 120)}`,
        diagnosis: diagnoses['refuses-edge-port'],
      });
    },
  },
]);
