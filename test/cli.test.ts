// The CLI in-process: usage errors are one line with exit code 2, the JSON result follows its
// schema, and grading records progress.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandNames, main } from '../grader/main.ts';
import { readProgress } from '../grader/progress.ts';
import { recordingIo } from './helpers/io.ts';
import { pristineExercisesRoot } from './helpers/pristine.ts';

let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
  process.env.SOCKETS_COURSE_PROGRESS = path.join(scratch, 'progress.json');
  process.env.SOCKETS_COURSE_EXERCISES = pristineExercisesRoot();
});
afterEach(() => {
  delete process.env.SOCKETS_COURSE_PROGRESS;
  delete process.env.SOCKETS_COURSE_EXERCISES;
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('usage errors', () => {
  it.each([
    [['grade', 'lesson-99'], /unknown lesson "lesson-99"/],
    [['grade', '1', '--seed', 'abc'], /--seed abc: expected a whole number/],
    [['grade', '1', '--dir', '/no/such/folder'], /--dir \/no\/such\/folder: no such folder/],
    [['grade', '1', '--solution', '--dir', '.'], /use --solution or --dir, not both/],
    [['grade', '1', '--colour'], /Unknown option '--colour'/],
    [['grade', '1', '2'], /too many arguments \(1 2\): expected \[lesson-N\]/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['hint'], /expected lesson-N/],
    [['reset', '1', '--frm', 'x'], /Unknown option '--frm'/],
    [['grade', '1', '--check', 'nope'], /--check nope: lesson 1 has no such check; its checks are listens, prints-peer, /],
  ])('%j exits 2 with one line', async (argv, message) => {
    const { io, stdout, stderr } = recordingIo();
    expect(await main(argv, io)).toBe(2);
    expect(stderr()).toMatch(message);
    expect(stderr()).not.toMatch(/\n\s+at /); // no stack trace
    expect(stdout()).toBe('');
    expect(stderr().trimEnd().split('\n')).toHaveLength(1);
  });

  it('"--help" without a command lists every command and exits 0', async () => {
    const { io, stdout, stderr } = recordingIo();
    expect(await main(['--help'], io)).toBe(0);
    for (const name of commandNames) expect(stdout()).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(stderr()).toBe('');
  });

  it.each(commandNames)('"%s --help" prints its usage and exits 0; an unknown option exits 2', async (name) => {
    const help = recordingIo();
    expect(await main([name, '--help'], help.io)).toBe(0);
    expect(help.stdout()).toMatch(/^Usage: npm run /);
    expect(help.stdout()).toContain('--help');
    const wrong = recordingIo();
    expect(await main([name, '--no-such-option'], wrong.io)).toBe(2);
    expect(wrong.stderr()).toMatch(new RegExp(`^${name}: Unknown option '--no-such-option' \\(usage: npm run .*--help\\)\n$`));
  });

  it('names a missing file', async () => {
    fs.mkdirSync(path.join(scratch, 'copy', '01-echo-server'), { recursive: true });
    const { io, stderr } = recordingIo({ cwd: scratch });
    expect(await main(['grade', '1', '--dir', 'copy'], io)).toBe(2);
    expect(stderr()).toMatch(/missing file .*01-echo-server\/server\.ts/);
  });
});

describe('grade', () => {
  it('prints a versioned JSON result with one entry per check', async () => {
    const { io, stdout } = recordingIo();
    expect(await main(['grade', 'lesson-2', '--solution', '--json', '--seed', '3'], io)).toBe(0);
    const result = JSON.parse(stdout());
    expect(result).toMatchObject({ version: 2, status: 'pass', seed: 3, lesson: { number: 2, slug: '02-echo-client' } });
    expect(result.tests.length).toBe(result.max_score);
    expect(result.score).toBe(result.max_score);
    for (const test of result.tests) expect(Object.keys(test)).toEqual(expect.arrayContaining(['name', 'id', 'status', 'message', 'duration_ms']));
  });

  it('runs one check with the checks of its scenario before it, and records no progress for it', async () => {
    const { io, stdout } = recordingIo();
    expect(await main(['grade', '1', '--solution', '--check', 'echoes-binary', '--json'], io)).toBe(0);
    const ids = JSON.parse(stdout()).tests.map((test: { id: string }) => test.id);
    expect(ids).toEqual(['compiles', 'listens', 'prints-peer', 'accepts-one-client', 'echoes-binary', 'leaves-nothing-behind']);
    const alone = recordingIo();
    expect(await main(['grade', '1', '--check', 'survives-reset', '--seed', '5'], alone.io)).toBe(1);
    expect(alone.stdout()).toContain('Reproduce: npm run grade lesson-1 -- --check survives-reset --seed 5');
    expect(alone.stdout()).not.toContain('listens on HOST:PORT'); // another scenario's check
    expect(readProgress().lessons['01-echo-server']).toBeUndefined();
  });

  it('prints the checklist, the failure block and a repro command, and records progress', async () => {
    const { io, stdout } = recordingIo();
    expect(await main(['grade', '1', '--seed', '42'], io)).toBe(1);
    const text = stdout();
    expect(text).toContain('✗ listens on HOST:PORT');
    expect(text).toContain('Hint:');
    expect(text).toContain('Reproduce: npm run grade lesson-1 -- --seed 42');
    expect(text).toContain('Just this check: npm run grade lesson-1 -- --check listens');
    expect(text).toMatch(/- prints "Connected by ADDRESS:PORT".*not run/);
    expect(text).not.toMatch(/\x1b\[/); // no colour when not a terminal
    expect(readProgress().lessons['01-echo-server']).toMatchObject({ status: 'fail', failedCheck: 'listens on HOST:PORT and accepts a client' });
  });

  it('shows progress and the next lesson when no lesson is named', async () => {
    fs.writeFileSync(process.env.SOCKETS_COURSE_PROGRESS!, JSON.stringify({ version: 1, lessons: { '01-echo-server': { status: 'pass', at: '' } }, hints: {} }));
    const { io, stdout } = recordingIo();
    expect(await main(['grade'], io)).toBe(0);
    expect(stdout()).toMatch(/lesson-1 .*✓ passed/);
    expect(stdout()).toMatch(/lesson-2 .*not started/);
    expect(stdout()).toContain('Next: npm run lesson 2');
  });

  it('says when the files changed since the result it shows', async () => {
    const copy = path.join(scratch, 'exercises');
    fs.cpSync(path.join(pristineExercisesRoot(), '01-echo-server'), path.join(copy, '01-echo-server'), { recursive: true });
    process.env.SOCKETS_COURSE_EXERCISES = copy;
    expect(await main(['grade', '1', '--seed', '4'], recordingIo().io)).toBe(1);
    const fresh = recordingIo();
    await main(['grade'], fresh.io);
    expect(fresh.stdout()).toMatch(/lesson-1 .*✗ failing at: listens/);
    expect(fresh.stdout()).not.toContain('files changed since');
    fs.appendFileSync(path.join(copy, '01-echo-server', 'server.ts'), '// an edit\n');
    const stale = recordingIo();
    await main(['grade'], stale.io);
    expect(stale.stdout()).toMatch(/lesson-1 .*✗ failing at: listens.*\(files changed since: npm run grade lesson-1\)/);
  });

  it('survives a damaged progress file', async () => {
    fs.writeFileSync(process.env.SOCKETS_COURSE_PROGRESS!, '{ not json');
    const { io, stdout } = recordingIo();
    expect(await main(['grade'], io)).toBe(0);
    expect(stdout()).toContain('Next: npm run lesson 1');
  });
});

describe('hint', () => {
  it('reveals one more tier per call and remembers it', async () => {
    const first = recordingIo();
    await main(['hint', 'lesson-1'], first.io);
    expect(first.stdout()).toContain('hints 1 of 3');
    expect(first.stdout()).not.toMatch(/^2\./m);
    const second = recordingIo();
    await main(['hint', '1'], second.io);
    expect(second.stdout()).toContain('hints 2 of 3');
    expect(second.stdout()).toMatch(/1\..*\n\n2\./s);
    const again = recordingIo();
    await main(['hint', '1', '--again'], again.io);
    expect(again.stdout()).toContain('hints 2 of 3');
    await main(['hint', '1'], recordingIo().io);
    const last = recordingIo();
    await main(['hint', '1'], last.io);
    expect(last.stdout()).toContain('hints 3 of 3');
    expect(last.stdout()).toContain('That was the last hint');
  });
});

describe('compare', () => {
  it('keeps the reference hidden until the lesson passes', async () => {
    const { io, stderr } = recordingIo();
    expect(await main(['compare', 'lesson-1'], io)).toBe(1);
    expect(stderr()).toContain('has not passed yet');
  });

  it('shows the learner file beside the reference with --force', async () => {
    const { io, stdout } = recordingIo();
    expect(await main(['compare', 'lesson-1', '--force'], io)).toBe(0);
    expect(stdout()).toContain('--- yours:');
    // Code only: the stub's bare listen() against the reference's, and no comment lines.
    expect(stdout()).toMatch(/^- server\.listen\(\);$/m);
    expect(stdout()).toMatch(/^\+ server\.listen\(PORT, HOST\);$/m);
    expect(stdout()).not.toMatch(/TODO|Filled in/);
    const exact = recordingIo();
    expect(await main(['compare', 'lesson-1', '--force', '--exact'], exact.io)).toBe(0);
    expect(exact.stdout()).toMatch(/^- .*TODO/m);
    expect(exact.stdout()).toMatch(/^\+ .*Filled in/m);
  });
});
