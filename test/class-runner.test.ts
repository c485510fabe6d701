// What the class runner believes of a child grader (grader/class/run.ts), shown with a stand-in
// child that misbehaves in one way each: only results that hold together count, a lesson over
// its time limit is stopped without costing the student's other lessons, and nothing is left.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { course, findLesson, lessonFiles } from '../lessons/course.ts';
import { gradeStudent } from '../grader/class/run.ts';
import { classIsolation } from '../grader/class/isolation.ts';
import { solutionsRoot } from '../grader/paths.ts';

const fake = path.join(import.meta.dirname, 'helpers', 'fake-child-grader.ts');
const lessons = ['1', '2', '3'].map((name) => findLesson(name));
let studentDir: string;

beforeAll(() => {
  studentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'class-runner-'));
  for (const lesson of course) {
    for (const file of lessonFiles(lesson)) {
      fs.mkdirSync(path.join(studentDir, lesson.slug), { recursive: true });
      fs.writeFileSync(path.join(studentDir, lesson.slug, file), '');
    }
  }
});
afterAll(() => fs.rmSync(studentDir, { recursive: true, force: true }));

function grade(behaviour: string, timeoutMs = 20_000) {
  return gradeStudent({
    studentDir,
    student: 'sam',
    lessons,
    seedOf: (lesson) => 100 + lesson.number,
    timeoutMs,
    isolation: classIsolation(true),
    atOnce: 1,
    child: [process.execPath, '--import', 'tsx', fake, behaviour],
  });
}

const statuses = (rows: readonly { slug: string; status: string }[]) => rows.map((row) => `${row.slug} ${row.status}`);

describe('the class runner and its child grader', () => {
  it('takes an honest child at its word, one row per lesson in course order', async () => {
    const rows = await grade('honest');
    expect(statuses(rows)).toEqual(['01-echo-server fail', '02-echo-client fail', '03-framing fail']);
    expect(rows[0]).toMatchObject({ score: 1, maxScore: 2, seed: 101, failedCheck: 'b', message: 'it failed' });
  });

  it('believes none of a child whose exit code disagrees with its results', async () => {
    const rows = await grade('exits-zero');
    expect(statuses(rows)).toEqual(['01-echo-server crashed', '02-echo-client crashed', '03-framing crashed']);
    expect(rows[0]!.message).toMatch(/exited with code 0, which disagrees/);
  });

  it('refuses a result with another seed, and only that one', async () => {
    const rows = await grade('wrong-seed');
    expect(statuses(rows)).toEqual(['01-echo-server crashed', '02-echo-client fail', '03-framing fail']);
    expect(rows[0]!.message).toMatch(/seed 102, not 101/);
  });

  it('stops a child that prints anything but its reports', async () => {
    const rows = await grade('prints-other-text');
    expect(rows.every((row) => row.status === 'crashed')).toBe(true);
    expect(rows[0]!.message).toMatch(/not one of its reports: all checks passed!/);
  });

  it('stops a child that reports a lesson it did not say it started', async () => {
    const rows = await grade('reports-unstarted');
    expect(rows.every((row) => row.status === 'crashed')).toBe(true);
    expect(rows[0]!.message).toMatch(/out of turn/);
  });

  it('stops the lesson over its time limit and grades the others in a new child', { timeout: 30_000 }, async () => {
    const rows = await grade('hangs-on-second', 1500);
    expect(statuses(rows)).toEqual(['01-echo-server fail', '02-echo-client crashed', '03-framing fail']);
    expect(rows[1]!.message).toMatch(/took longer than 1.5 s/);
  });

  it('grades two lessons at once in the real child grader, each with its own seed', { timeout: 60_000 }, async () => {
    const rows = await gradeStudent({
      studentDir: solutionsRoot,
      student: 'reference',
      lessons: [findLesson('1'), findLesson('8')],
      seedOf: (lesson) => 200 + lesson.number,
      timeoutMs: 50_000,
      isolation: classIsolation(true),
      atOnce: 2,
    });
    expect(rows.map((row) => [row.slug, row.status, row.result?.seed])).toEqual([
      ['01-echo-server', 'pass', 201],
      ['08-application-protocol', 'pass', 208],
    ]);
  });

  it('gives a lesson whose files are missing its row without starting a child for it', async () => {
    fs.rmSync(path.join(studentDir, '02-echo-client'), { recursive: true });
    try {
      const rows = await grade('honest');
      expect(statuses(rows)).toEqual(['01-echo-server fail', '02-echo-client missing', '03-framing fail']);
    } finally {
      for (const file of lessonFiles(lessons[1]!)) {
        fs.mkdirSync(path.join(studentDir, lessons[1]!.slug), { recursive: true });
        fs.writeFileSync(path.join(studentDir, lessons[1]!.slug, file), '');
      }
    }
  });
});
