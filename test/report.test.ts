// The reporters word results; these cases pin what a learner and a tool read.
import { describe, expect, it } from 'vitest';
import { findLesson } from '../lessons/course.ts';
import type { CheckResult, LessonResult } from '../grader/grade.ts';
import { toJsonResult } from '../grader/report/json.ts';
import { painter } from '../grader/report/paint.ts';
import { checkLine, failureBlock, reproCommand, summaryLine } from '../grader/report/text.ts';

const plain = painter(false);
const base = { durationMs: 5, transcript: [], outputs: [] } as const;
const passed: CheckResult = { ...base, id: 'a', title: 'does a', status: 'pass' };
const skippedHere: CheckResult = { ...base, id: 'b', title: 'does b', status: 'skip', skipReason: 'only Linux can' };
const failed: CheckResult = {
  ...base,
  id: 'c',
  title: 'does c',
  status: 'fail',
  failure: { summary: 'did not do c', expected: '"c\\n"', actual: '"d"', hint: 'do c' },
  outputs: [{ label: 'server.ts', stdout: `${'x'.repeat(500)}\n`, stderr: '', truncated: true, ending: 'exited with code 1' }],
};

function lessonResult(checks: CheckResult[], status: LessonResult['status']): LessonResult {
  return { lesson: findLesson('1'), lessonDir: '/x', seed: 4, host: '127.0.0.1', status, checks, durationMs: 10, resources: { pids: [], ports: [] }, containment: 'process group' };
}

describe('text report', () => {
  it('says why a check was skipped, and does not count it', () => {
    expect(checkLine(skippedHere, plain)).toBe('  - does b (skipped: only Linux can)');
    expect(summaryLine(lessonResult([passed, skippedHere], 'pass'), plain)).toMatch(/^All 1 checks passed/);
  });

  it('shows expected, actual, cut output, the hint and the repro command of a failure', () => {
    const text = failureBlock(failed, { lesson: findLesson('1'), seed: 4, source: ['--dir', '/a b'] }, plain).join('\n');
    expect(text).toContain('expected: "c\\n"');
    expect(text).toContain('actual:   "d"');
    expect(text).toContain('server.ts (exited with code 1), output cut at the cap:');
    expect(text).toContain('… (+300 characters)');
    expect(text).toContain('Hint: do c');
    expect(text).toContain('Reproduce: npm run grade lesson-1 -- --dir "/a b" --seed 4');
  });

  it('quotes only the arguments that need it in a repro command', () => {
    expect(reproCommand({ lesson: findLesson('3'), seed: 12, source: ['--solution'] })).toBe('npm run grade lesson-3 -- --solution --seed 12');
  });
});

describe('JSON report', () => {
  it('scores passes against the checks that could run', () => {
    const json = toJsonResult(lessonResult([passed, skippedHere, failed], 'fail'));
    expect(json).toMatchObject({ version: 2, status: 'fail', score: 1, max_score: 2 });
    expect(json.tests.map((test) => [test.id, test.status, test.message])).toEqual([
      ['a', 'pass', ''],
      ['b', 'skip', 'only Linux can'],
      ['c', 'fail', 'did not do c'],
    ]);
  });
});
