import fs from 'node:fs';
import path from 'node:path';
import { course, type Lesson } from '../../lessons/course.ts';
import { classroomWorkflow } from '../classroom/workflow.ts';
import { EXIT } from '../errors.ts';
import { writeLines } from '../io.ts';
import { repoRoot } from '../paths.ts';
import { withLessonTable } from '../readme-table.ts';
import { defineCommand } from './define.ts';

/** The test file that grades one lesson's catalogue: one per lesson, so vitest runs them side by side. */
export function catalogueTestFile(lesson: Lesson): { readonly file: string; readonly content: string } {
  return {
    file: path.join(repoRoot, 'test', `catalogue-${String(lesson.number).padStart(2, '0')}.test.ts`),
    content: [
      `// Made by npm run course:sync from lessons/course.ts: grades lesson ${lesson.number}'s catalogue.`,
      "import { catalogueTests } from './helpers/catalogue.ts';",
      `import { catalogue } from './fixtures/${lesson.slug}/catalogue.ts';`,
      '',
      `catalogueTests('${lesson.slug}', catalogue);`,
      '',
    ].join('\n'),
  };
}

/** The files made from lessons/course.ts, and what each should hold now. */
export function generatedFiles(): ReadonlyArray<{ readonly file: string; readonly content: string }> {
  const readme = path.join(repoRoot, 'README.md');
  return [
    { file: readme, content: withLessonTable(fs.readFileSync(readme, 'utf8'), course) },
    { file: path.join(repoRoot, 'templates', 'classroom.yml'), content: classroomWorkflow(course) },
    ...course.map(catalogueTestFile),
  ];
}

/** `npm run course:sync`: rewrites what is generated from the course file. */
export const syncCommand = defineCommand({
  invocation: 'npm run course:sync',
  summary: "Regenerates the README's lesson table, templates/classroom.yml and the test file of each lesson's catalogue (test/catalogue-NN.test.ts) from lessons/course.ts.",
  options: {},
  run: (_input, io) => {
    const lines = generatedFiles().map(({ file, content }) => {
      const shown = path.relative(repoRoot, file);
      if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return `${shown}: up to date`;
      fs.writeFileSync(file, content);
      return `${shown}: rewritten`;
    });
    writeLines(io.stdout, lines);
    return EXIT.pass;
  },
});
