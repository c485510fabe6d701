// Every solution passes; every untouched stub fails at the check its catalogue names. The
// gradings run side by side (vitest.config.ts maxConcurrency), each lesson on its own HOST (its seed).
import { describe as group, expect, it } from 'vitest';
import { MIN_RETRY_MS } from '../grader/checks/04-udp/client-pacing.ts';
import { MAX_TRIES } from '../grader/checks/04-udp/client-run.ts';
import { course } from '../lessons/course.ts';
import { describe, expectNothingLeft, firstFailure, gradeSolution, gradeStub } from './helpers/grade.ts';
import { loadCatalogue } from './helpers/catalogues.ts';

group.each(course)('lesson $number ($slug)', (lesson) => {
  const seed = 70 + lesson.number;
  it.concurrent('passes the reference solution', async () => {
    const result = await gradeSolution(lesson.slug, seed);
    expect(result.status, describe(result)).toBe('pass');
    // The bench's floor for lesson 4: its 20 tries to a silent server, each at least 100 ms after the last.
    if (lesson.slug === '04-udp') expect(result.programWaitMs).toBeGreaterThanOrEqual((MAX_TRIES - 1) * MIN_RETRY_MS);
    else expect(result.programWaitMs).toBeUndefined();
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
