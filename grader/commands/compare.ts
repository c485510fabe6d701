import fs from 'node:fs';
import path from 'node:path';
import { findLesson, lessonFiles } from '../../lessons/course.ts';
import { codeOnly, diffLines, formatDiff } from '../diff.ts';
import { EXIT, UsageError } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';
import { defineCommand } from './define.ts';
import { colorEnabled, painter, type Paint } from '../report/paint.ts';
import { readProgress } from '../progress.ts';
import { resolveSource } from '../source.ts';
import { solutionsRoot } from '../paths.ts';

function paintDiffLine(line: string, paint: Paint): string {
  if (line.startsWith('+')) return paint('green', line);
  if (line.startsWith('-')) return paint('red', line);
  if (line.startsWith('@@')) return paint('cyan', line);
  return line;
}

/** `npm run compare lesson-3`: the learner's files beside the reference, once the lesson passes. */
export const compareCommand = defineCommand({
  invocation: 'npm run compare',
  summary: 'Shows your files beside the reference solution, once the lesson passes.',
  positionals: { usage: 'lesson-N', min: 1, max: 1 },
  options: {
    force: { type: 'boolean', description: 'show the reference before the lesson passes' },
    dir: { type: 'string', value: 'PATH', description: 'compare another copy laid out like exercises/' },
    exact: { type: 'boolean', description: 'compare every line, comments and spacing too' },
  },
  run: ({ values, positionals }, io) => compareLesson(values, positionals[0]!, io),
});

async function compareLesson(values: { force?: boolean; dir?: string; exact?: boolean }, name: string, io: Io): Promise<number> {
  const lesson = findLesson(name);
  const source = resolveSource({ dir: values.dir }, io.cwd);
  const passed = readProgress().lessons[lesson.slug]?.status === 'pass';
  if (source.isLearnerCopy && !passed && !values.force) {
    writeLines(io.stderr, [
      `compare: lesson ${lesson.number} has not passed yet, so the reference stays hidden.`,
      `Pass it first (npm run grade lesson-${lesson.number}), or look anyway: npm run compare lesson-${lesson.number} -- --force`,
    ]);
    return EXIT.fail;
  }
  const paint = painter(colorEnabled(io.stdout, io.env));
  const lines: string[] = values.exact ? [] : [paint('dim', 'Comments, blank lines and spacing are left out (--exact shows every line).'), ''];
  for (const file of lessonFiles(lesson)) {
    const mine = path.join(source.root, lesson.slug, file);
    const reference = path.join(solutionsRoot, lesson.slug, file);
    if (!fs.existsSync(mine)) throw new UsageError(`missing file ${path.relative(io.cwd, mine)}`);
    const [yours, theirs] = [fs.readFileSync(mine, 'utf8'), fs.readFileSync(reference, 'utf8')].map((text) => (values.exact ? text : codeOnly(text)));
    const diff = formatDiff(diffLines(yours!, theirs!));
    lines.push(paint('bold', `--- yours:     ${path.relative(io.cwd, mine)}`), paint('bold', `+++ reference: ${path.relative(io.cwd, reference)}`));
    lines.push(...(diff.length ? diff.map((line) => paintDiffLine(line, paint)) : ['(identical)']), '');
  }
  writeLines(io.stdout, lines);
  return EXIT.pass;
}
