import { parseArgs } from 'node:util';
import { course, findLesson } from '../../lessons/course.ts';
import { EXIT, UsageError } from '../errors.ts';
import type { LessonResult } from '../grade.ts';
import { writeLines, type Io } from '../io.ts';
import { randomSeed } from '../net/random.ts';
import { parseSeed } from '../source.ts';
import { startBusyCore } from '../stress/busy.ts';
import { catalogueTargets, solutionTarget, type StressTarget } from '../stress/targets.ts';
import { formatTally, tally, type RunOutcome } from '../stress/tally.ts';
import { gradeVariant } from '../variant.ts';

export const stressUsage = `Usage: npm run grade:stress -- [lesson-N ...] [--runs 50] [--catalogue] [--busy] [--seed N]

Grades each lesson's solution (and with --catalogue every program of the test catalogue)
--runs times with consecutive seeds and prints how many runs gave the expected result.
--busy keeps one core spinning meanwhile. Exit 0 when every run agreed, 1 otherwise.`;

export function outcomeOf(result: LessonResult): string {
  const first = result.checks.find((check) => check.status !== 'pass');
  return first ? `${first.status} at ${first.id}` : 'pass';
}

/** `npm run grade:stress`: hunts flakes by grading the same programs many times. */
export async function stressCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      runs: { type: 'string' },
      catalogue: { type: 'boolean' },
      busy: { type: 'boolean' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    writeLines(io.stdout, [stressUsage]);
    return EXIT.pass;
  }
  const runs = values.runs === undefined ? 10 : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs ${values.runs}: expected a whole number of at least 1`);
  const lessons = positionals.length ? positionals.map((name) => findLesson(name)) : [...course];
  const firstSeed = parseSeed(values.seed) ?? randomSeed();
  const targets: StressTarget[] = [];
  for (const lesson of lessons) {
    targets.push(solutionTarget(lesson));
    if (values.catalogue) targets.push(...(await catalogueTargets(lesson)));
  }
  writeLines(io.stdout, [`${targets.length} programs × ${runs} runs, seeds ${firstSeed}..${firstSeed + runs - 1}${values.busy ? ', one core kept busy' : ''}`]);
  const busy = values.busy ? startBusyCore() : undefined;
  let allAgreed = true;
  try {
    for (const target of targets) {
      const outcomes: RunOutcome[] = [];
      for (let run = 0; run < runs; run++) {
        const seed = firstSeed + run;
        const result = await gradeVariant(target.lesson, target.programDir!, seed);
        outcomes.push({ seed, outcome: outcomeOf(result) });
      }
      const result = tally(outcomes, target.expected);
      if (result.agreed !== result.runs) allAgreed = false;
      writeLines(io.stdout, [formatTally(target.label, target.expected, result)]);
    }
  } finally {
    await busy?.stop();
  }
  return allAgreed ? EXIT.pass : EXIT.fail;
}
