import fs from 'node:fs';
import path from 'node:path';
import { course, findLesson, type Lesson } from '../../lessons/course.ts';
import { EXIT } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';
import { defineCommand } from './define.ts';
import { lessonsRoot } from '../paths.ts';
import { exerciseMarkdown } from '../render/exercise.ts';
import { renderLessonForTerminal } from '../render/terminal.ts';
import { colorEnabled, painter } from '../report/paint.ts';

/** `npm run lesson 3`: the lesson's text in the terminal, ending with how to grade it. */
export const lessonCommand = defineCommand({
  invocation: 'npm run lesson',
  summary: 'Shows a lesson in the terminal; without N, the list of lessons.',
  positionals: { usage: '[N]', min: 0, max: 1, help: [['N', 'the lesson to read (3, lesson-3 or 03-framing)']] },
  options: {},
  footer: 'The whole course with pictures: npm run site, then open site/index.html.',
  run: ({ positionals }, io) => showLesson(positionals, io),
});

function showLesson(positionals: readonly string[], io: Io): number {
  const paint = painter(colorEnabled(io.stdout, io.env));
  if (positionals.length === 0) {
    const lines = course.map((lesson) => `  ${paint('cyan', String(lesson.number).padStart(2))}  ${paint('bold', lesson.title)}\n      ${lesson.summary}`);
    writeLines(io.stdout, ['The lessons, in order (npm run lesson N to read one):', '', ...lines]);
    return EXIT.pass;
  }
  const lesson = findLesson(positionals[0]!);
  const file = path.join(lessonsRoot, `${lesson.slug}.md`);
  if (!fs.existsSync(file)) {
    writeLines(io.stderr, [`lesson: the text of lesson ${lesson.number} (lessons/${lesson.slug}.md) is not written yet`]);
    return EXIT.graderError;
  }
  const markdown = `${fs.readFileSync(file, 'utf8').trimEnd()}\n\n---\n\n${exerciseMarkdown(lesson)}`;
  // The terminal's width, but no wider than 100: longer lines are hard to read.
  const width = io.stdout.isTTY && io.stdout.columns ? Math.min(io.stdout.columns, 100) : 80;
  io.stdout.write(renderLessonForTerminal(markdown, { width, paint, linkTarget: terminalLinkTarget }));
  return EXIT.pass;
}

/** A link to another lesson's file is shown as the command that reads it. */
export function terminalLinkTarget(href: string): string {
  const match = /^(?:\.\/)?(\d\d-[a-z0-9-]+)\.md(?:#.*)?$/.exec(href);
  const lesson: Lesson | undefined = match ? course.find((candidate) => candidate.slug === match[1]) : undefined;
  return lesson ? `npm run lesson ${lesson.number}` : href;
}
