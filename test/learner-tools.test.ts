// reset and watch, run in-process on a scratch copy so the repository's own files stay untouched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchCommand } from '../grader/commands/watch.ts';
import { main } from '../grader/main.ts';
import { repoRoot, solutionsRoot } from '../grader/paths.ts';
import { pollUntil } from '../grader/run/deadline.ts';
import { recordingIo } from './helpers/io.ts';
import { pristineExercisesRoot } from './helpers/pristine.ts';

let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tools-'));
  process.env.SOCKETS_COURSE_PROGRESS = path.join(scratch, 'progress.json');
});
afterEach(() => {
  delete process.env.SOCKETS_COURSE_PROGRESS;
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('reset', () => {
  it('restores the stub and keeps the learner version in a backup it names', async () => {
    const lessonDir = path.join(scratch, 'copy', '01-echo-server');
    fs.cpSync(path.join(pristineExercisesRoot(), '01-echo-server'), lessonDir, { recursive: true });
    const mine = '// my work in progress\n';
    fs.writeFileSync(path.join(lessonDir, 'server.ts'), mine);
    const { io, stdout } = recordingIo({ cwd: scratch });
    expect(await main(['reset', 'lesson-1', '--dir', 'copy'], io)).toBe(0);

    const original = (await execa('git', ['show', 'HEAD:exercises/01-echo-server/server.ts'], { cwd: repoRoot, stripFinalNewline: false })).stdout;
    expect(fs.readFileSync(path.join(lessonDir, 'server.ts'), 'utf8')).toBe(original);
    const saved = /saved as (\S+)/.exec(stdout())?.[1];
    expect(saved, stdout()).toBeDefined();
    expect(fs.readFileSync(path.join(scratch, saved!), 'utf8')).toBe(mine);
  });

  it('writes no backup when the file is already the stub', async () => {
    fs.cpSync(path.join(pristineExercisesRoot(), '01-echo-server'), path.join(scratch, 'copy', '01-echo-server'), { recursive: true });
    const { io, stdout } = recordingIo({ cwd: scratch });
    expect(await main(['reset', '1', '--dir', 'copy'], io)).toBe(0);
    expect(stdout()).toContain('already the original stub');
    expect(fs.existsSync(path.join(scratch, '.backups'))).toBe(false);
  });
});

describe('restore', () => {
  it('undoes a reset with the newest backup, saving what it replaces, and can itself be undone', async () => {
    const lessonDir = path.join(scratch, 'copy', '01-echo-server');
    fs.cpSync(path.join(pristineExercisesRoot(), '01-echo-server'), lessonDir, { recursive: true });
    const file = path.join(lessonDir, 'server.ts');
    const mine = '// my work in progress\n';
    fs.writeFileSync(file, mine);
    expect(await main(['reset', '1', '--dir', 'copy'], recordingIo({ cwd: scratch }).io)).toBe(0);
    const stub = fs.readFileSync(file, 'utf8');

    const restored = recordingIo({ cwd: scratch });
    expect(await main(['restore', '1', '--dir', 'copy'], restored.io)).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(mine);
    expect(restored.stdout()).toMatch(/the version it replaces is saved as \S+/);

    expect(await main(['restore', '1', '--dir', 'copy'], recordingIo({ cwd: scratch }).io)).toBe(0);
    expect(fs.readFileSync(file, 'utf8'), 'the second restore brings back what the first replaced').toBe(stub);
  });

  it('says so, with exit code 2, when there is nothing to restore', async () => {
    fs.cpSync(path.join(pristineExercisesRoot(), '01-echo-server'), path.join(scratch, 'copy', '01-echo-server'), { recursive: true });
    const { io, stderr } = recordingIo({ cwd: scratch });
    expect(await main(['restore', '1', '--dir', 'copy'], io)).toBe(2);
    expect(stderr()).toMatch(/lesson 1 has no backups to restore: npm run reset makes them/);
    expect(await main(['restore', '1', '--dir', 'copy', '--backup', 'nope.ts'], io)).toBe(2);
  });
});

describe.each([
  ['fs.watch', []],
  ['polling', ['--poll']],
])('watch (%s)', (mode, extra) => {
  it('grades at once, again after a save, the failed check first after a fix, and stops when asked', async () => {
    const lessonDir = path.join(scratch, 'copy', '02-echo-client');
    fs.cpSync(path.join(solutionsRoot, '02-echo-client'), lessonDir, { recursive: true });
    const codes: number[] = [];
    const stop = new AbortController();
    const { io, stdout } = recordingIo({ cwd: scratch });
    const watching = watchCommand(['lesson-2', '--dir', 'copy', '--seed', '5', ...extra], io, { signal: stop.signal, onGraded: (code) => codes.push(code) });
    await pollUntil(() => (codes.length >= 1 ? true : undefined), 60_000, 'the first grading');
    expect(codes[0]).toBe(0);
    expect(stdout()).toContain('Lesson 2 passes. Move on: npm run watch lesson-3');
    expect(stdout()).toContain(mode === 'polling' ? 'polling every' : '(fs.watch)');

    // Break the client: it now prints after the first piece of the echo.
    const file = path.join(lessonDir, 'client.ts');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('chunks.push(chunk);', 'chunks.push(chunk); socket.emit("end");'));
    await pollUntil(() => (codes.length >= 2 ? true : undefined), 60_000, 'a grading after the save');
    expect(codes[1]).toBe(1);

    // Fixed again: the check that failed runs first, alone, then the whole lesson.
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('chunks.push(chunk); socket.emit("end");', 'chunks.push(chunk);'));
    await pollUntil(() => (codes.length >= 3 ? true : undefined), 60_000, 'a grading after the fix');
    expect(codes[2]).toBe(0);
    const afterFix = stdout().slice(stdout().lastIndexOf('client.ts changed'));
    expect(afterFix).toMatch(/Check prints-whole-echo passed[^]*Fixed\. Now the whole lesson:[^]*All \d+ checks passed/);
    stop.abort();
    expect(await watching).toBe(0);
  });
});
