import { lessonFiles, type Lesson } from '../lessons/course.ts';

export const TABLE_START = '<!-- lesson-table:start (generated from lessons/course.ts; test/readme.test.ts keeps it true) -->';
export const TABLE_END = '<!-- lesson-table:end -->';

/** The README's lesson table, from the course file. */
export function lessonTable(lessons: readonly Lesson[]): string {
  const rows = lessons.map(
    (lesson) =>
      `| ${lesson.number} | [${lesson.title}](lessons/${lesson.slug}.md) | ${lessonFiles(lesson).map((file) => `\`exercises/${lesson.slug}/${file}\``).join(', ')} | \`npm run grade lesson-${lesson.number}\` |`,
  );
  return [TABLE_START, '| # | Lesson | You write | Grade it |', '|---|---|---|---|', ...rows, TABLE_END].join('\n');
}
