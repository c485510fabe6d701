// Every solution passes; every untouched stub fails at the check its catalogue names. The
// gradings run side by side (vitest.config.ts maxConcurrency), each lesson on its own HOST (its seed).
import { describe as group, expect, it } from 'vitest';
import { course } from '../lessons/course.ts';
import { describe, expectNothingLeft, firstFailure, gradeSolution, gradeStub } from './helpers/grade.ts';
import { loadCatalogue } from './helpers/catalogues.ts';

group.each(course)('lesson $number ($slug)', (lesson) => {
  const seed = 70 + lesson.number;
  it.concurrent('passes the reference solution', async () => {
    const result = await gradeSolution(lesson.slug, seed);
    expect(result.status, describe(result)).toBe('pass');
    await expectNothingLeft(result);
  });

  it.concurrent('fails the untouched stub at its first check', async () => {
    const { stubFailsAt } = await loadCatalogue(lesson.slug);
    const result = await gradeStub(lesson.slug, seed);
    expect(result.status).toBe('fail');
    expect(firstFailure(result), describe(result)).toBe(stubFailsAt);
    await expectNothingLeft(result);
  });
});
