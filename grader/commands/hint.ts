import { findLesson } from '../../lessons/course.ts';
import { EXIT } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';
import { defineCommand } from './define.ts';
import { colorEnabled, painter } from '../report/paint.ts';
import { readProgress, recordHintsShown } from '../progress.ts';

/** `npm run hint lesson-3`: reveals the next tier of hints and remembers how far it got. */
export const hintCommand = defineCommand({
  invocation: 'npm run hint',
  summary: 'Reveals the next hint of a lesson, from a nudge to the near-answer, and remembers how far it got.',
  positionals: { usage: 'lesson-N', min: 1, max: 1 },
  options: {
    again: { type: 'boolean', description: 'repeat the hints shown so far without revealing another' },
    forget: { type: 'boolean', description: 'hide the hints again' },
  },
  run: ({ values, positionals }, io) => showHints(values, positionals[0]!, io),
});

function showHints(values: { again?: boolean; forget?: boolean }, name: string, io: Io): number {
  const lesson = findLesson(name);
  const paint = painter(colorEnabled(io.stdout, io.env));
  if (values.forget) {
    recordHintsShown(lesson, 0);
    writeLines(io.stdout, [`Hints for lesson ${lesson.number} are hidden again.`]);
    return EXIT.pass;
  }
  const shown = readProgress().hints[lesson.slug] ?? 0;
  const total = lesson.hints.length;
  // --again repeats what was revealed without revealing more.
  const reveal = values.again ? Math.max(shown, 1) : Math.min(shown + 1, total);
  recordHintsShown(lesson, reveal);
  const lines = [paint('bold', `Lesson ${lesson.number}: ${lesson.title}, hints ${reveal} of ${total}`), ''];
  lesson.hints.slice(0, reveal).forEach((hint, index) => {
    lines.push(`${paint('cyan', `${index + 1}.`)} ${hint}`, '');
  });
  lines.push(
    reveal < total
      ? paint('dim', `Run it again for hint ${reveal + 1}. A failing check prints its own hint too: npm run grade lesson-${lesson.number}`)
      : paint('dim', `That was the last hint. Once the lesson passes, npm run compare lesson-${lesson.number} shows the reference solution.`),
  );
  writeLines(io.stdout, lines);
  return EXIT.pass;
}
