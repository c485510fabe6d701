// Every grading runs a staged copy of the lesson folder: a copy anywhere on disk runs exactly as
// exercises/ does, and nothing a program writes lands in the learner's folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../grader/errors.ts';
import { solutionsRoot } from '../grader/paths.ts';
import { stageLesson } from '../grader/stage.ts';
import { describe as describeResult, gradeRoot } from './helpers/grade.ts';

const scratches: string[] = [];
function scratch(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-test-'));
  scratches.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of scratches.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const solutionServer = fs.readFileSync(path.join(solutionsRoot, '01-echo-server', 'server.ts'), 'utf8');

describe('a staged lesson', () => {
  it('runs a --dir copy outside the repository as an ES module: top-level await works', { timeout: 60_000 }, async () => {
    const root = scratch();
    fs.mkdirSync(path.join(root, '01-echo-server'));
    fs.writeFileSync(path.join(root, '01-echo-server', 'server.ts'), `await new Promise((resolve) => setTimeout(resolve, 10));\n${solutionServer}`);
    const result = await gradeRoot('1', root, 2);
    expect(result.status, describeResult(result)).toBe('pass');
  });

  it("keeps what a program writes into its own folder out of the learner's", { timeout: 60_000 }, async () => {
    const root = scratch();
    const lessonDir = path.join(root, '01-echo-server');
    fs.mkdirSync(lessonDir);
    fs.writeFileSync(path.join(lessonDir, 'server.ts'), `import fs from 'node:fs';\nfs.writeFileSync('written-by-the-program.log', 'x');\n${solutionServer}`);
    const result = await gradeRoot('1', root, 2);
    expect(result.status, describeResult(result)).toBe('pass');
    expect(fs.readdirSync(lessonDir)).toEqual(['server.ts']);
  });

  it("shows the learner's own path in a program's stack trace, not the staged copy's", { timeout: 60_000 }, async () => {
    const root = scratch();
    const lessonDir = path.join(root, '01-echo-server');
    fs.mkdirSync(lessonDir);
    fs.writeFileSync(path.join(lessonDir, 'server.ts'), "throw new Error('broken on purpose');\n");
    const result = await gradeRoot('1', root, 2);
    const stderr = result.checks.find((check) => check.status === 'fail')?.outputs[0]?.stderr ?? '';
    expect(stderr).toContain(path.join(lessonDir, 'server.ts'));
    expect(stderr).not.toContain('sockets-course-');
  });

  it('copies only regular files and folders, readable by anyone, beside a module package.json', () => {
    const lessonDir = path.join(scratch(), '01-echo-server');
    fs.mkdirSync(path.join(lessonDir, 'node_modules'), { recursive: true });
    fs.writeFileSync(path.join(lessonDir, 'server.ts'), 'x', { mode: 0o600 });
    fs.symlinkSync('/etc/hostname', path.join(lessonDir, 'link.ts'));
    const stage = stageLesson(lessonDir);
    try {
      expect(fs.readdirSync(stage.lessonDir)).toEqual(['server.ts']);
      expect(fs.statSync(path.join(stage.lessonDir, 'server.ts')).mode & 0o777).toBe(0o644);
      expect(JSON.parse(fs.readFileSync(path.join(stage.root, 'package.json'), 'utf8')).type).toBe('module');
    } finally {
      stage.remove();
    }
    expect(fs.existsSync(stage.root)).toBe(false);
  });

  it('refuses a folder too large to be a lesson, with a one-line reason', () => {
    const lessonDir = path.join(scratch(), '01-echo-server');
    fs.mkdirSync(lessonDir);
    fs.writeFileSync(path.join(lessonDir, 'big.bin'), Buffer.alloc(17 * 1024 * 1024));
    expect(() => stageLesson(lessonDir)).toThrow(UsageError);
    expect(() => stageLesson(lessonDir)).toThrow(/more than 16 MB/);
  });
});
