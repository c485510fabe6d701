import { course, findLesson, type Lesson } from '../../lessons/course.ts';
import { loadGrading } from '../checks/index.ts';
import { checksOf } from '../checks/lesson.ts';
import { exitForStatus, UsageError } from '../errors.ts';
import { sandboxSupport } from '../run/sandbox.ts';
import { gradeLesson, type LessonResult } from '../grade.ts';
import { writeLines, type Io } from '../io.ts';
import { randomSeed } from '../net/random.ts';
import { toJsonResult } from '../report/json.ts';
import { colorEnabled, painter } from '../report/paint.ts';
import { briefFailure, checkLine, escapeControl, failureBlock, lessonHeader, summaryLine, type Repro } from '../report/text.ts';
import { parseSeed, resolveSource } from '../source.ts';
import { recordResult } from '../progress.ts';
import { defineCommand, type OptionSpec } from './define.ts';
import { progressCommand } from './progress.ts';
import path from 'node:path';

const gradeOptions = {
  solution: { type: 'boolean', description: 'grade the reference solutions instead of exercises/' },
  dir: { type: 'string', value: 'PATH', description: "grade another copy laid out like exercises/ (a student's checkout)" },
  seed: { type: 'string', value: 'N', description: 'fix every random choice (printed with each failure)' },
  json: { type: 'boolean', description: 'print a machine-readable result (schema: grader/README.md)' },
  ipv6: { type: 'boolean', description: 'grade over IPv6: HOST=::1 for your programs and the grader alike' },
  sandbox: { type: 'boolean', description: 'run the programs in a bubblewrap box (Linux): read-only, no HOME, no other lessons' },
  check: { type: 'string', value: 'ID', description: 'run one check (and the checks before it that it needs), e.g. --check echoes-binary' },
  'keep-going': { type: 'boolean', description: 'after a failure, still run every scenario that does not depend on it (slower; shows every independent failure)' },
} as const satisfies Record<string, OptionSpec>;

/** What a caller of the command (watch mode) learns besides the exit code. */
export interface GradeControl {
  readonly onResult?: (result: LessonResult) => void;
}

export const gradeCommand = defineCommand<typeof gradeOptions, GradeControl>({
  invocation: 'npm run grade',
  summary: 'Grades one lesson of your programs; without a lesson, shows your progress.',
  positionals: { usage: '[lesson-N]', min: 0, max: 1, help: [['lesson-N', 'the lesson to grade (lesson-3, 3 or 03-framing)']] },
  options: gradeOptions,
  footer: 'Exit codes: 0 all checks pass, 1 a check failed, 2 usage error, 3 grader error.',
  run: ({ values, positionals }, io, control) => gradeLessonCommand(values, positionals, io, control ?? {}),
});

async function gradeLessonCommand(
  values: { solution?: boolean; dir?: string; seed?: string; json?: boolean; ipv6?: boolean; sandbox?: boolean; check?: string; 'keep-going'?: boolean },
  positionals: readonly string[],
  io: Io,
  control: GradeControl,
): Promise<number> {
  if (positionals.length === 0) return progressCommand(io);
  const lesson = findLesson(positionals[0]!);
  if (values.sandbox) {
    const support = sandboxSupport();
    if (!support.ok) throw new UsageError(`--sandbox: ${support.reason}`);
  }
  const only = values.check === undefined ? undefined : await checkOfLesson(lesson, values.check);
  const source = resolveSource(values, io.cwd);
  const seed = parseSeed(values.seed) ?? randomSeed();
  const paint = painter(!values.json && colorEnabled(io.stdout, io.env));
  const repro: Repro = { lesson, seed, source: [...source.args, ...(values.ipv6 ? ['--ipv6'] : []), ...(only ? ['--check', only] : [])] };
  const shownDir = path.relative(io.cwd, path.join(source.root, lesson.slug)) || '.';

  if (!values.json) writeLines(io.stdout, [lessonHeader(lesson, shownDir, paint)]);
  let shownFailure = false;
  const result = await gradeLesson({
    lesson,
    root: source.root,
    seed,
    sandbox: values.sandbox,
    ipv6: values.ipv6,
    only,
    bail: !values['keep-going'],
    // On a terminal the running check shows until its result replaces it.
    onCheckStart: !values.json && io.stdout.isTTY ? (check) => io.stdout.write(paint('dim', `  … ${check.title}`)) : undefined,
    onCheckDone: values.json
      ? undefined
      : (check) => {
          if (io.stdout.isTTY && check.status !== 'skip') io.stdout.write('\r\x1b[K');
          writeLines(io.stdout, [checkLine(check, paint)]);
          if (check.status !== 'fail' && check.status !== 'error') return;
          // Independent scenarios go on after a failure: the first is told whole, the rest in brief.
          writeLines(io.stdout, shownFailure ? briefFailure(check, repro, paint) : ['', ...failureBlock(check, repro, paint), '']);
          shownFailure = true;
        },
  });
  // One check passing is not the lesson passing: only whole gradings are recorded.
  if (source.isLearnerCopy && !only) recordResult(lesson, result, source.root);
  control.onResult?.(result);
  if (values.json) {
    io.stdout.write(`${JSON.stringify(toJsonResult(result), null, 2)}\n`);
  } else {
    const next = only ? [`The whole lesson: npm run grade lesson-${lesson.number}`] : result.status === 'pass' && source.isLearnerCopy ? nextStep(lesson.number) : [];
    writeLines(io.stdout, ['', summaryLine(result, paint), ...next]);
  }
  return exitForStatus[result.status];
}

/** The id given to --check, if the lesson has such a check; else a usage error naming those it has. */
async function checkOfLesson(lesson: Lesson, id: string): Promise<string> {
  const ids = checksOf(await loadGrading(lesson.slug)).map((check) => check.id);
  if (!ids.includes(id)) throw new UsageError(`--check ${escapeControl(id)}: lesson ${lesson.number} has no such check; its checks are ${ids.join(', ')}`);
  return id;
}

function nextStep(number: number): string[] {
  const compare = `Compare with the reference: npm run compare lesson-${number}`;
  const next = course.find((lesson) => lesson.number === number + 1);
  return [compare, next ? `Next: npm run lesson ${next.number}, then npm run grade lesson-${next.number}` : 'That was the last lesson: npm run grade shows the whole course.'];
}
