import { course } from '../../lessons/course.ts';
import { EXIT } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';
import { colorEnabled, painter, type Paint } from '../report/paint.ts';
import { isStale, nextLesson, readProgress, type LessonProgress } from '../progress.ts';
import { resolveSource } from '../source.ts';

function stateOf(entry: LessonProgress, paint: Paint): string {
  if (entry.status === 'pass') return paint('green', '✓ passed');
  return paint('red', `✗ failing at: ${entry.failedCheck ?? 'a grader error'}`);
}

/** `npm run grade` with no lesson: every lesson's state and the next one to do. */
export function progressCommand(io: Io): number {
  const progress = readProgress();
  const { root } = resolveSource({}, io.cwd);
  const paint = painter(colorEnabled(io.stdout, io.env));
  const width = Math.max(...course.map((lesson) => lesson.title.length));
  const rows = course.map((lesson) => {
    const entry = progress.lessons[lesson.slug];
    const state = !entry ? paint('dim', 'not started') : `${stateOf(entry, paint)}${isStale(lesson, entry, root) ? paint('yellow', ` (files changed since: npm run grade lesson-${lesson.number})`) : ''}`;
    return `  lesson-${lesson.number}  ${lesson.title.padEnd(width)}  ${state}`;
  });
  const observed = progress.observe?.status === 'pass' ? paint('green', '✓ passed') : paint('dim', 'not passed yet');
  rows.push(`  ${'observe'.padEnd(`lesson-${course.length}`.length)}  ${'Observing sockets with ss, netstat and lsof'.padEnd(width)}  ${observed} ${paint('dim', '(npm run observe)')}`);
  const next = nextLesson(progress);
  const footer = next
    ? `Next: npm run lesson ${next.number}, edit exercises/${next.slug}/, then npm run grade lesson-${next.number}`
    : paint('green', 'Every lesson passes. Well done.');
  writeLines(io.stdout, [paint('bold', 'Your progress'), ...rows, '', footer]);
  return EXIT.pass;
}
