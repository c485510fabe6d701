// Class grading, the stress command, the classroom workflow and the README's lesson table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mostCommonDiagnoses, mostFailedChecks, toCsv, type ClassRow } from '../grader/class/report.ts';
import { generatedFiles } from '../grader/commands/sync.ts';
import { main } from '../grader/main.ts';
import { repoRoot, solutionsRoot } from '../grader/paths.ts';
import type { LessonResult } from '../grader/grade.ts';
import { outcomeOf } from '../grader/stress/outcome.ts';
import { formatTally, tally } from '../grader/stress/tally.ts';
import { recordingIo } from './helpers/io.ts';
import { pristineExercisesRoot } from './helpers/pristine.ts';

describe('grade:class', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'class-'));
    const classDir = path.join(scratch, 'class');
    fs.cpSync(path.join(solutionsRoot, '01-echo-server'), path.join(classDir, 'alice', '01-echo-server'), { recursive: true });
    fs.cpSync(path.join(pristineExercisesRoot(), '01-echo-server'), path.join(classDir, 'bob', '01-echo-server'), { recursive: true });
    // A hostile submission: ignores SIGTERM, floods stdout, never listens.
    fs.mkdirSync(path.join(classDir, 'mallory', '01-echo-server'), { recursive: true });
    fs.writeFileSync(
      path.join(classDir, 'mallory', '01-echo-server', 'server.ts'),
      "process.on('SIGTERM', () => {});\nconst line = 'x'.repeat(1 << 16);\nsetInterval(() => process.stdout.write(line), 1);\n",
    );
    fs.mkdirSync(path.join(classDir, 'nobody'));
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('grades every student, survives a hostile one, and writes CSV and JSON reports', async () => {
    const { io, stdout } = recordingIo({ cwd: scratch });
    const code = await main(['class', 'class', '--lessons', '1', '--jobs', '2', '--out', 'out', '--seed', '9'], io);
    expect(code).toBe(0);
    const csv = fs.readFileSync(path.join(scratch, 'out', 'class-report.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('student,lesson,slug,status,score,max_score,failed_check,message,seed,sandbox,diagnosis');
    const status = Object.fromEntries(csv.slice(1).map((line) => [line.split(',')[0], line.split(',')[3]]));
    expect(status).toEqual({ alice: 'pass', bob: 'fail', mallory: 'fail', nobody: 'missing' });
    const report = JSON.parse(fs.readFileSync(path.join(scratch, 'out', 'class-report.json'), 'utf8'));
    expect(report.version).toBe(3);
    expect(report.rows.find((row: ClassRow) => row.student === 'alice').result.tests.length).toBeGreaterThan(0);
    expect(stdout()).toContain('lesson-1: 1 of 4 pass, 1 missing');
    expect(stdout()).toContain('2 × lesson-1: listens on HOST:PORT and accepts a client');
    // The stub's bare server.listen() binds every address on a port of the kernel's choosing.
    const bob = report.rows.find((row: ClassRow) => row.student === 'bob');
    expect(bob.diagnosis).toBe('listens-without-arguments');
    expect(stdout()).toMatch(/Mistakes seen most:\n(.*\n)*  \d × lesson-1: listens-without-arguments/);
  });
});

describe('class report', () => {
  const row = (student: string, failedCheck?: string): ClassRow => ({
    student, lesson: 3, slug: '03-framing', status: failedCheck ? 'fail' : 'pass', score: 0, maxScore: 5, failedCheck, seed: 1, sandbox: 'bubblewrap',
    message: failedCheck ? 'said "hi", then\nleft' : undefined,
  });

  it('quotes CSV fields holding commas, quotes and newlines', () => {
    expect(toCsv([row('a', 'x')])).toBe('student,lesson,slug,status,score,max_score,failed_check,message,seed,sandbox,diagnosis\na,3,03-framing,fail,0,5,x,"said ""hi"", then\nleft",1,bubblewrap,\n');
  });

  it('orders the most failed checks first', () => {
    const counts = mostFailedChecks([row('a', 'x'), row('b', 'y'), row('c', 'y'), row('d')]);
    expect(counts.map((entry) => [entry.check, entry.students.length])).toEqual([['y', 2], ['x', 1]]);
  });

  it('counts the diagnosed mistakes, most common first, leaving out failures with none', () => {
    const diagnosed = (student: string, diagnosis?: string): ClassRow => ({ ...row(student, 'x'), diagnosis });
    const counts = mostCommonDiagnoses([diagnosed('a', 'shared-buffer'), diagnosed('b', 'little-endian-length'), diagnosed('c', 'little-endian-length'), diagnosed('d'), row('e')]);
    expect(counts.map((entry) => [entry.diagnosis, entry.students])).toEqual([['little-endian-length', ['b', 'c']], ['shared-buffer', ['a']]]);
  });
});

describe('grade:stress', () => {
  it('counts agreeing runs and names the seeds of those that differ', () => {
    const result = tally([{ seed: 1, outcome: 'pass' }, { seed: 2, outcome: 'fail at x' }, { seed: 3, outcome: 'pass' }], 'pass');
    expect(formatTally('lesson-1 solution', 'pass', result)).toBe('lesson-1 solution: 2/3 runs agreed (pass); differed: fail at x with seeds 2');
  });

  it('counts a run whose hint no longer names the mistake as differing', () => {
    const failing = (hint: string) => ({ checks: [{ id: 'a', status: 'pass' }, { id: 'b', status: 'fail', failure: { summary: 's', hint } }] }) as unknown as LessonResult;
    expect(outcomeOf(failing('wait for "drain"'), /drain/)).toBe('fail at b');
    expect(outcomeOf(failing('something blocks the event loop'), /drain/)).toBe('fail at b with another hint "something blocks the event loop"');
    expect(outcomeOf(failing('anything'))).toBe('fail at b');
    expect(outcomeOf({ checks: [{ id: 'a', status: 'pass' }] } as unknown as LessonResult, /x/)).toBe('pass');
  });

  // The short form of `npm run grade:stress`; the catalogue tests grade every wrong program once more.
  it('grades solutions repeatedly with a core kept busy, every run agreeing', { timeout: 300_000 }, async () => {
    const { io, stdout } = recordingIo();
    // The smoke form: two lessons, two runs each. Hunting flakes for real is `npm run grade:stress`.
    const code = await main(['stress', '1', '3', '--runs', '2', '--busy', '--seed', '100'], io);
    expect(stdout()).not.toContain('differed');
    expect(code, stdout()).toBe(0);
    for (const lesson of [1, 3]) expect(stdout()).toContain(`lesson-${lesson} solution: 2/2 runs agreed (pass)`);
  });
});

describe('generated documents', () => {
  it.each(generatedFiles().map(({ file, content }) => [path.relative(repoRoot, file), content] as const))('%s is what lessons/course.ts makes', (file, content) => {
    expect(fs.readFileSync(path.join(repoRoot, file), 'utf8') === content, `${file} is stale: run npm run course:sync`).toBe(true);
  });

  it('the README lists every npm script', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts as object);
    for (const script of scripts) expect(readme, script).toMatch(new RegExp(`npm (run )?${script.replace(':', ':')}\\b`));
  });
});
