import { course, findLesson } from '../../lessons/course.ts';
import { EXIT, UsageError } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';
import { defineCommand } from './define.ts';
import { randomSeed } from '../net/random.ts';
import { parseSeed } from '../source.ts';
import { startBusyCore } from '../stress/busy.ts';
import { outcomeOf } from '../stress/outcome.ts';
import { catalogueTargets, solutionTarget, type StressTarget } from '../stress/targets.ts';
import { formatTally, tally, type RunOutcome } from '../stress/tally.ts';
import { gradeVariant } from '../variant.ts';

/** `npm run grade:stress`: hunts flakes by grading the same programs many times. */
export const stressCommand = defineCommand({
  invocation: 'npm run grade:stress --',
  summary: "Grades each lesson's solution (with --catalogue every program of the test catalogue) --runs times with consecutive seeds and prints how many runs gave the expected result.",
  positionals: { usage: '[lesson-N ...]', min: 0, max: Infinity },
  options: {
    runs: { type: 'string', value: 'N', description: 'gradings per program (default 10)' },
    catalogue: { type: 'boolean', description: "grade the test catalogue's programs too" },
    busy: { type: 'boolean', description: 'keep one core spinning meanwhile' },
    seed: { type: 'string', value: 'N', description: 'the first seed (default: random, printed)' },
  },
  footer: 'Exit codes: 0 every run agreed, 1 some did not.',
  run: ({ values, positionals }, io) => stress(values, positionals, io),
});

async function stress(values: { runs?: string; catalogue?: boolean; busy?: boolean; seed?: string }, positionals: readonly string[], io: Io): Promise<number> {
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
        const result = await gradeVariant(target.lesson, target.programDir, seed, { ipv6: target.ipv6 });
        outcomes.push({ seed, outcome: outcomeOf(result, target.hint) });
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
