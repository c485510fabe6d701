import { course } from '../../lessons/course.ts';
import { EXIT } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';
import { colorEnabled, painter } from '../report/paint.ts';
import { nextLesson, readProgress } from '../progress.ts';

/** `npm run grade` with no lesson: every lesson's state and the next one to do. */
export function progressCommand(io: Io): number {
  const progress = readProgress();
  const paint = painter(colorEnabled(io.stdout, io.env));
  const width = Math.max(...course.map((lesson) => lesson.title.length));
  const rows = course.map((lesson) => {
    const entry = progress.lessons[lesson.slug];
    const state = !entry
      ? paint('dim', 'not started')
      : entry.status === 'pass'
        ? paint('green', '✓ passed')
        : paint('red', `✗ failing at: ${entry.failedCheck ?? 'a grader error'}`);
    return `  lesson-${lesson.number}  ${lesson.title.padEnd(width)}  ${state}`;
  });
  const next = nextLesson(progress);
  const footer = next
    ? `Next: npm run lesson ${next.number}, edit exercises/${next.slug}/, then npm run grade lesson-${next.number}`
    : paint('green', 'Every lesson passes. Well done.');
  writeLines(io.stdout, [paint('bold', 'Your progress'), ...rows, '', footer]);
  return EXIT.pass;
}
