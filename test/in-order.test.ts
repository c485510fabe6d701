// Scenarios run at the same time but are reported in course order; bail keeps the first
// failure in course order and only skips what comes after it.
import { describe, expect, it } from 'vitest';
import { findLesson } from '../lessons/course.ts';
import { gradeLesson } from '../grader/grade.ts';
import { inCourseOrder } from '../grader/in-order.ts';
import { pool } from '../grader/pool.ts';
import { pristineExercisesRoot } from './helpers/pristine.ts';
import { expectNothingLeft } from './helpers/grade.ts';

describe('inCourseOrder', () => {
  it('reports results in index order, however they finish, and shows only the head as running', () => {
    const seen: string[] = [];
    const order = inCourseOrder<string, string>({ onStart: (check) => seen.push(`start ${check}`), onDone: (result) => seen.push(`done ${result}`) });
    order.started(0, 'a');
    order.started(2, 'c');
    order.done(2, 'c');
    order.started(1, 'b');
    order.done(0, 'a');
    order.done(1, 'b');
    expect(seen).toEqual(['start a', 'done a', 'start b', 'done b', 'done c']);
  });
});

describe('pool', () => {
  it('never runs more than the limit at once, and runs every task', async () => {
    let now = 0;
    let most = 0;
    let ran = 0;
    const task = async () => {
      most = Math.max(most, ++now);
      await new Promise((resolve) => setTimeout(resolve, 5));
      now -= 1;
      ran += 1;
    };
    await pool(Array.from({ length: 7 }, (_, i) => i), 3, task);
    expect(ran).toBe(7);
    expect(most).toBe(3);
  });
});

describe('grading scenarios at the same time', () => {
  it('the lesson 2 stub: keep-going fails every independent scenario, bail the same first check and no more scenarios after it', async () => {
    const lesson = findLesson('lesson-2');
    const root = pristineExercisesRoot();
    const [all, bailed] = await Promise.all([gradeLesson({ lesson, root, seed: 7 }), gradeLesson({ lesson, root, seed: 7, bail: true })]);
    const failedIds = (result: typeof all) => result.checks.filter((check) => check.status === 'fail').map((check) => check.id);
    expect(failedIds(all).length).toBeGreaterThan(1);
    expect(failedIds(bailed)[0]).toBe(failedIds(all)[0]);
    expect(bailed.checks.map((check) => check.id)).toEqual(all.checks.map((check) => check.id));
    // Each failure shows only its own scenario's wire and runs: each of these starts one client.
    for (const check of all.checks.filter((each) => each.status === 'fail')) {
      expect(check.transcript.filter((event) => /^started client\.ts/.test(event.text))).toHaveLength(1);
      expect(check.outputs).toHaveLength(1);
    }
    await expectNothingLeft(all);
    await expectNothingLeft(bailed);
  });
});
