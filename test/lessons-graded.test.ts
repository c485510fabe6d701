// Every solution passes; every untouched stub fails at the check the course expects.
import { describe as group, expect, it } from 'vitest';
import { course } from '../lessons/course.ts';
import { describe, expectNothingLeft, firstFailure, gradeSolution, gradeStub } from './helpers/grade.ts';

/** The first check each untouched stub must fail. */
const stubFailsAt: Record<string, string> = {
  '01-echo-server': 'listens',
  '02-echo-client': 'sends-message',
};

group.each(course.filter((lesson) => lesson.slug in stubFailsAt))('lesson $number ($slug)', (lesson) => {
  it('passes the reference solution', async () => {
    const result = await gradeSolution(lesson.slug, 7);
    expect(result.status, describe(result)).toBe('pass');
    await expectNothingLeft(result);
  });

  it('fails the untouched stub at its first check', async () => {
    const result = await gradeStub(lesson.slug, 7);
    expect(result.status).toBe('fail');
    expect(firstFailure(result), describe(result)).toBe(stubFailsAt[lesson.slug]);
    await expectNothingLeft(result);
  });
});
