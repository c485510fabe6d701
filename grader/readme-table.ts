import { lessonFiles, type Lesson } from '../lessons/course.ts';

export const TABLE_START = '<!-- lesson-table:start (generated from lessons/course.ts by npm run course:sync) -->';
export const TABLE_END = '<!-- lesson-table:end -->';

/** The README's lesson table, from the course file. */
export function lessonTable(lessons: readonly Lesson[]): string {
  const rows = lessons.map(
    (lesson) =>
      `| ${lesson.number} | [${lesson.title}](lessons/${lesson.slug}.md) | ${lessonFiles(lesson).map((file) => `\`exercises/${lesson.slug}/${file}\``).join(', ')} | \`npm run grade lesson-${lesson.number}\` |`,
  );
  return [TABLE_START, '| # | Lesson | You write | Grade it |', '|---|---|---|---|', ...rows, TABLE_END].join('\n');
}

/** The README with its lesson table replaced by the course file's. */
export function withLessonTable(readme: string, lessons: readonly Lesson[]): string {
  const start = readme.indexOf('<!-- lesson-table:start');
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end === -1) throw new Error('README.md has no lesson-table markers');
  return `${readme.slice(0, start)}${lessonTable(lessons)}${readme.slice(end + TABLE_END.length)}`;
}
