import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { course, findLesson, lessonFiles } from '../lessons/course.ts';
import { loadGrading } from '../grader/checks/index.ts';
import { checksOf } from '../grader/checks/lesson.ts';
import { catalogueTestFile } from '../grader/commands/sync.ts';
import { lessonsRoot, repoRoot, solutionsRoot } from '../grader/paths.ts';
import { pristineExercisesRoot } from './helpers/pristine.ts';

function filesUnder(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('the course file', () => {
  it('numbers lessons 1..N in order with unique slugs', () => {
    expect(course.map((lesson) => lesson.number)).toEqual(course.map((_, index) => index + 1));
    expect(new Set(course.map((lesson) => lesson.slug)).size).toBe(course.length);
    for (const lesson of course) expect(lesson.slug).toMatch(new RegExp(`^0${lesson.number}-[a-z-]+$`));
  });

  it('gives every lesson programs, tiered hints, a lesson text and checks', async () => {
    for (const lesson of course) {
      expect(lesson.programs.length, lesson.slug).toBeGreaterThan(0);
      expect(lesson.hints.length, lesson.slug).toBeGreaterThanOrEqual(3);
      expect(fs.existsSync(path.join(lessonsRoot, `${lesson.slug}.md`)), `lessons/${lesson.slug}.md`).toBe(true);
      expect(checksOf(await loadGrading(lesson.slug)).length, `checks for ${lesson.slug}`).toBeGreaterThan(0);
    }
  });

  it('mirrors exercises/ and solutions/ path for path, holding exactly the programs it names', () => {
    expect(filesUnder(pristineExercisesRoot())).toEqual(filesUnder(solutionsRoot));
    const named = course.flatMap((lesson) => lessonFiles(lesson).map((file) => path.join(lesson.slug, file))).sort();
    expect(filesUnder(pristineExercisesRoot())).toEqual(named);
  });

  it('marks every gap in a stub with TODO, and keeps the stub header in its solution', () => {
    const stubs = pristineExercisesRoot();
    for (const file of filesUnder(stubs)) {
      const stub = fs.readFileSync(path.join(stubs, file), 'utf8');
      const solution = fs.readFileSync(path.join(solutionsRoot, file), 'utf8');
      expect(stub, file).toContain('// TODO');
      expect(solution, file).not.toContain('// TODO');
      const header = stub.split('\n').filter((line) => line.startsWith('//')).slice(0, 2);
      expect(solution.split('\n').slice(0, 2), file).toEqual(header);
    }
  });

  // rustlings' `dev check`: what a lesson needs, each missing piece named with where it goes.
  it.each(course.map((lesson) => [lesson.slug, lesson] as const))('%s has every part a lesson needs', async (slug, lesson) => {
    const missing: string[] = [];
    const need = (file: string, why: string) => {
      if (!fs.existsSync(path.join(repoRoot, file))) missing.push(`${file} (${why})`);
    };
    need(`lessons/${slug}.md`, 'the lesson text');
    for (const file of lessonFiles(lesson)) {
      need(`exercises/${slug}/${file}`, 'the stub');
      need(`solutions/${slug}/${file}`, 'the reference solution');
    }
    need(`test/fixtures/${slug}/catalogue.ts`, 'the catalogue of wrong and right programs');
    const catalogueTest = catalogueTestFile(lesson);
    if (!fs.existsSync(catalogueTest.file) || fs.readFileSync(catalogueTest.file, 'utf8') !== catalogueTest.content) {
      missing.push(`${path.relative(repoRoot, catalogueTest.file)} grading its catalogue (run npm run course:sync)`);
    }
    const grading = await loadGrading(slug).catch((error: Error) => error.message);
    if (typeof grading === 'string') missing.push(`its grading (${grading})`);
    expect(missing, `lesson ${lesson.number} lacks`).toEqual([]);
  });

  it.each([
    ['lesson-3', 3],
    ['3', 3],
    ['03', 3],
    ['03-framing', 3],
    ['LESSON-1', 1],
  ])('finds %s', (name, number) => {
    expect(findLesson(name).number).toBe(number);
  });

  it('names the known lessons when asked for an unknown one', () => {
    expect(() => findLesson('lesson-99')).toThrow(/unknown lesson "lesson-99": expected one of lesson-1/);
  });
});
