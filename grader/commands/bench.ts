import os from 'node:os';
import { course, findLesson } from '../../lessons/course.ts';
import { measureLesson, measureStarts, type LessonFigure } from '../bench/measure.ts';
import { EXIT, UsageError } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';
import { defineCommand } from './define.ts';

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `npm run bench`: grading speed as ratios to a program start, never asserted anywhere. */
export const benchCommand = defineCommand({
  invocation: 'npm run bench --',
  summary: "Measures program starts and each lesson's grading of its reference solution, as multiples of one tsx start measured in the same run.",
  positionals: { usage: '[lesson-N ...]', min: 0, max: Infinity },
  options: {
    runs: { type: 'string', value: 'N', description: 'starts measured per way of starting (default 5); lessons are graded once' },
    json: { type: 'boolean', description: 'print the figures as JSON' },
    seed: { type: 'string', value: 'N', description: 'the seed of every grading (default 1)' },
  },
  footer: 'The machine is shared and noisy: compare ratios within one run, not seconds across runs.',
  run: async ({ values, positionals }, io) => {
    const runs = values.runs === undefined ? 5 : Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs ${values.runs}: expected a whole number of at least 1`);
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed ${values.seed}: expected a whole number`);
    const lessons = positionals.length ? positionals.map((name) => findLesson(name)) : [...course];
    const starts = measureStarts(runs);
    const figures: LessonFigure[] = [];
    for (const lesson of lessons) figures.push(await measureLesson(lesson, starts.tsxCli, seed));
    const machine = { node: process.version, cpus: os.availableParallelism(), platform: `${os.platform()} ${os.release()}` };
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ version: 1, machine, starts, lessons: figures }, null, 2)}\n`);
    } else {
      writeLines(io.stdout, [
        `Node ${machine.node}, ${machine.cpus} cores, ${machine.platform}`,
        `Program start (median of ${runs}): plain node ${formatMs(starts.plainNode)}, node --import tsx ${formatMs(starts.nodeImportTsx)}, tsx ${formatMs(starts.tsxCli)}`,
        '',
        '| lesson | solution graded | = tsx starts | slowest checks |',
        '|---|---|---|---|',
        ...figures.map(
          (figure) =>
            `| ${figure.lesson} | ${formatMs(figure.ms)}${figure.status === 'pass' ? '' : ` (${figure.status})`} | ${figure.tsxStarts} | ${figure.slowest.map((check) => `${check.id} ${formatMs(check.ms)}`).join(', ')} |`,
        ),
      ]);
    }
    return figures.every((figure) => figure.status === 'pass') ? EXIT.pass : EXIT.fail;
  },
});
