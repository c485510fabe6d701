// The "what you build and how to check it" section that ends a lesson, in markdown, from the
// course file: the terminal and the site both render it, so they never disagree.
import { lessonFiles, type Lesson } from '../../lessons/course.ts';

export const EXERCISE_HEADING = 'Your exercise';

export function gradeCommandOf(lesson: Lesson): string {
  return `npm run grade lesson-${lesson.number}`;
}

export function hintCommandOf(lesson: Lesson): string {
  return `npm run hint lesson-${lesson.number}`;
}

export function exerciseMarkdown(lesson: Lesson): string {
  const folder = `exercises/${lesson.slug}/`;
  const lines = [`## ${EXERCISE_HEADING}`, '', `Write ${andList(lessonFiles(lesson).map(code))} in ${code(folder)}.`, ''];
  for (const program of lesson.programs) {
    lines.push(
      `- ${code(program.file)}, a ${program.role}`,
      `  - start it: ${code(program.start)}`,
      `  - it reads: ${escapeMarkdown(program.reads)}`,
      `  - it does: ${escapeMarkdown(program.prints)}`,
    );
  }
  for (const module of lesson.modules ?? []) lines.push(`- ${code(module)}, a module the programs import`);
  lines.push('', `Check your work: ${code(gradeCommandOf(lesson))}  `, `Stuck? One hint at a time: ${code(hintCommandOf(lesson))}`, '');
  return lines.join('\n');
}

function andList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** An inline code span that survives backticks inside the text. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Course-file prose is plain text: every markdown punctuation character is taken literally. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~"]/g, '\\$&');
}
