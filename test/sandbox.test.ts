// Class grading of hostile submissions (test/fixtures/attacks/) beside honest ones: no forger
// or cheat passes, nothing outside the run changes, no secret reaches a report, nothing is
// left running. And the pieces that make it so, one by one.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLesson } from '../lessons/course.ts';
import { classIsolation } from '../grader/class/isolation.ts';
import type { ClassRow } from '../grader/class/report.ts';
import { distrust, expectedExit } from '../grader/class/run.ts';
import { UsageError } from '../grader/errors.ts';
import { main } from '../grader/main.ts';
import { repoRoot, solutionsRoot } from '../grader/paths.ts';
import type { JsonResult } from '../grader/report/json.ts';
import { pollUntil } from '../grader/run/deadline.ts';
import { sandboxSupport } from '../grader/run/sandbox.ts';
import { fixturesRoot, gradeRoot } from './helpers/grade.ts';
import { recordingIo } from './helpers/io.ts';

const attacksRoot = path.join(fixturesRoot, 'attacks');
const attacks = fs.readdirSync(attacksRoot, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
const support = sandboxSupport();
const MARKER = '.sockets-course-attack-';

/** Skips where the sandbox cannot run, except in CI, which must run it. */
function requireSandbox(context: { skip: (reason: string) => void }): void {
  if (support.ok) return;
  if (process.env.CI === 'true') throw new Error(`CI must run the sandbox tests: ${support.reason}`);
  context.skip(support.reason);
}

/** A fingerprint of the course checkout's own files (not the test's scratch folders). */
function checkoutFingerprint(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (['.git', 'node_modules', '.work'].includes(entry.name)) continue;
      hash.update(full);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) hash.update(fs.readFileSync(full));
    }
  };
  walk(repoRoot);
  hash.update(fs.readdirSync(path.join(repoRoot, 'node_modules')).sort().join('\n'));
  return hash.digest('hex');
}

function markersLeft(): string[] {
  const places = [repoRoot, path.join(repoRoot, 'grader'), path.join(repoRoot, 'node_modules'), os.homedir(), '/root', os.tmpdir(), '/tmp'];
  return places.flatMap((dir) => {
    try {
      return fs.readdirSync(dir).filter((name) => name.startsWith(MARKER)).map((name) => path.join(dir, name));
    } catch {
      return [];
    }
  });
}

function processesMatching(pattern: RegExp): string[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        return pattern.test(command) ? [`${pid}: ${command.slice(0, 100)}`] : [];
      } catch {
        return [];
      }
    });
}

describe('grade:class in the sandbox, with hostile classmates', () => {
  const secret = `secret-${process.pid}-${Date.now()}`;
  let scratch: string;
  let classDir: string;
  let outDir: string;
  let victim: string;
  let before: string;
  let rows: Map<string, ClassRow>;
  let reports: string;
  let exitCode: number;

  beforeAll(async () => {
    if (!support.ok) return;
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-class-'));
    classDir = path.join(scratch, 'class');
    outDir = path.join(scratch, 'out');
    for (const honest of ['alice', '=HYPERLINK("x")']) {
      fs.cpSync(path.join(solutionsRoot, '01-echo-server'), path.join(classDir, honest, '01-echo-server'), { recursive: true });
    }
    for (const attack of attacks) {
      fs.mkdirSync(path.join(classDir, attack, '01-echo-server'), { recursive: true });
      fs.copyFileSync(path.join(attacksRoot, attack, 'server.ts'), path.join(classDir, attack, '01-echo-server', 'server.ts'));
    }
    fs.symlinkSync(path.join(classDir, 'alice'), path.join(classDir, 'linked'));
    // A planted symlink where the report goes: the report must replace it, not write through it.
    victim = path.join(scratch, 'victim.txt');
    fs.writeFileSync(victim, 'the instructor\'s file\n');
    fs.mkdirSync(outDir);
    fs.symlinkSync(victim, path.join(outDir, 'class-report.csv'));

    before = checkoutFingerprint();
    process.env.SOCKETS_COURSE_TEST_SECRET = secret;
    const { io } = recordingIo({ cwd: scratch });
    try {
      exitCode = await main(['class', classDir, '--lessons', '1', '--jobs', '2', '--out', outDir, '--seed', '7', '--timeout', '60'], io);
    } finally {
      delete process.env.SOCKETS_COURSE_TEST_SECRET;
    }
    reports = ['class-report.csv', 'class-report.json'].map((name) => fs.readFileSync(path.join(outDir, name), 'utf8')).join('\n');
    const report = JSON.parse(fs.readFileSync(path.join(outDir, 'class-report.json'), 'utf8')) as { rows: ClassRow[] };
    rows = new Map(report.rows.map((row) => [row.student, row]));
  }, 400_000);

  afterAll(() => {
    for (const marker of markersLeft()) fs.rmSync(marker, { force: true });
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('finishes and writes both reports', (context) => {
    requireSandbox(context);
    expect(exitCode).toBe(0);
    expect(rows.size).toBe(attacks.length + 3);
  });

  it('passes the honest copies, whatever their folder is called', (context) => {
    requireSandbox(context);
    expect(rows.get('alice')?.status, rows.get('alice')?.message).toBe('pass');
    expect(rows.get('=HYPERLINK("x")')?.status).toBe('pass');
  });

  it('gives no forger or cheat a pass', (context) => {
    requireSandbox(context);
    // leaves-listener is a correct server whose detached child dies with its box: it may pass.
    const cheats = attacks.filter((attack) => attack !== 'leaves-listener');
    expect(cheats.map((attack) => [attack, rows.get(attack)?.status])).toEqual(cheats.map((attack) => [attack, 'fail']));
  });

  it('stops the program that went over the memory cap and says so', (context) => {
    requireSandbox(context);
    expect(rows.get('hogs-memory')?.result?.tests.find((test) => test.status === 'fail')?.output).toContain('memory cap');
  });

  it('leaves the course checkout, HOME, /tmp and the classmates untouched', (context) => {
    requireSandbox(context);
    expect(checkoutFingerprint()).toBe(before);
    expect(markersLeft()).toEqual([]);
    expect(fs.readFileSync(path.join(classDir, 'alice', '01-echo-server', 'server.ts'), 'utf8')).toBe(
      fs.readFileSync(path.join(solutionsRoot, '01-echo-server', 'server.ts'), 'utf8'),
    );
  });

  it('lets no secret of the grader\'s environment into a report', (context) => {
    requireSandbox(context);
    expect(reports).not.toContain(secret);
  });

  it('replaces a planted symlink instead of writing through it, and neutralises a formula name', (context) => {
    requireSandbox(context);
    expect(fs.readFileSync(victim, 'utf8')).toBe('the instructor\'s file\n');
    expect(fs.lstatSync(path.join(outDir, 'class-report.csv')).isFile()).toBe(true);
    expect(reports).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('reports a symlinked student folder instead of following or skipping it', (context) => {
    requireSandbox(context);
    expect(rows.get('linked')).toMatchObject({ status: 'missing', message: expect.stringContaining('symbolic link') });
  });

  it('says in every row and in the header that the sandbox was on', (context) => {
    requireSandbox(context);
    expect([...rows.values()].every((row) => row.sandbox.startsWith('bubblewrap'))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(outDir, 'class-report.json'), 'utf8')).sandbox).toMatch(/^bubblewrap/);
  });

  it('leaves nothing running', async (context) => {
    requireSandbox(context);
    // The attacks' own commands exactly: the machine is shared, and anyone's "sleep 300" is not theirs.
    const left = () => processesMatching(/^sleep 30 $|until - Date\.now\(\)/);
    await pollUntil(() => (left().length === 0 ? true : undefined), 3000, 'attack processes to be gone').catch(() => {});
    expect(left()).toEqual([]);
  });
});

describe('grade --sandbox', () => {
  it.concurrent.for(['1', '2', '3', '4', '5', '6', '7', '8'])('passes the lesson %s solution with the programs boxed', { timeout: 120_000 }, async (lesson, context) => {
    requireSandbox(context);
    const result = await gradeLessonSandboxed(lesson);
    const failed = result.checks.filter((check) => check.status !== 'pass');
    // What differed, so a failure under load says more than its summary.
    const told = failed.map((check) => [check.failure?.summary ?? check.error ?? check.skipReason, check.failure?.expected && `expected ${check.failure.expected}`, check.failure?.actual && `actual ${check.failure.actual}`].filter(Boolean).join(' | '));
    expect(result.status, `lesson ${lesson} (seed ${result.seed}): ${told.join('; ')}`).toBe('pass');
    expect(result.containment).toMatch(/^bubblewrap/);
  });
});

async function gradeLessonSandboxed(lesson: string) {
  const { gradeLesson } = await import('../grader/grade.ts');
  return gradeLesson({ lesson: findLesson(lesson), root: solutionsRoot, seed: 3, sandbox: true });
}

describe('the class runner believes a child grader only when its result holds together', () => {
  const lesson = findLesson('1');
  const honest: JsonResult = {
    version: 2, status: 'fail', lesson: { number: 1, slug: '01-echo-server', title: 't' }, seed: 5, host: '127.0.0.1', duration_ms: 1,
    score: 1, max_score: 2,
    tests: [
      { name: 'a', id: 'a', status: 'pass', message: '', transcript: [], output: '', duration_ms: 1 },
      { name: 'b', id: 'b', status: 'fail', message: 'x', transcript: [], output: '', duration_ms: 1 },
    ],
  };

  it('accepts a result whose lesson, seed and score agree', () => {
    expect(distrust(honest, lesson, 5)).toBeUndefined();
  });

  it('expects the exit code of the worst status it reported', () => {
    expect(expectedExit(['pass', 'fail', 'pass'])).toBe(1);
    expect(expectedExit(['pass', 'error'])).toBe(3);
    expect(expectedExit(['pass'])).toBe(0);
  });

  it('rejects a result for another seed or another lesson', () => {
    expect(distrust(honest, lesson, 6)).toMatch(/seed/);
    expect(distrust({ ...honest, lesson: { ...honest.lesson, slug: '02-echo-client' } }, lesson, 5)).toMatch(/another lesson/);
  });

  it('rejects a pass with checks that did not pass, a score that does not add up, and an unknown status', () => {
    expect(distrust({ ...honest, status: 'pass', score: 1 }, lesson, 5)).toMatch(/"pass"/);
    expect(distrust({ ...honest, score: 2 }, lesson, 5)).toMatch(/claimed 2/);
    expect(distrust({ ...honest, status: 'great' as 'pass' }, lesson, 5)).toMatch(/status "great"/);
  });
});

describe('class isolation', () => {
  it('refuses to grade without a sandbox unless told --trust, naming why', () => {
    expect(() => classIsolation(false, { ok: false, reason: 'bwrap is not installed' })).toThrow(UsageError);
    expect(() => classIsolation(false, { ok: false, reason: 'bwrap is not installed' })).toThrow(/bwrap is not installed.*--trust/);
  });

  it('records "none" when trusted', () => {
    expect(classIsolation(true, { ok: false, reason: 'x' }).description).toMatch(/^none \(--trust/);
  });
});

describe('without a cgroup, the run still finds what a detached child left bound', () => {
  it('fails a server whose setsid child keeps a port, and ends that child', { timeout: 60_000 }, async (context) => {
    if (!fs.existsSync('/proc/net/tcp')) context.skip('needs /proc to see which process holds a port');
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'leftover-'));
    process.env.GRADER_NO_CGROUP = '1';
    try {
      fs.mkdirSync(path.join(scratch, '01-echo-server'));
      fs.copyFileSync(path.join(attacksRoot, 'leaves-listener', 'server.ts'), path.join(scratch, '01-echo-server', 'server.ts'));
      const result = await gradeRoot('1', scratch, 11);
      const leftover = result.checks.find((check) => check.id === 'leaves-nothing-behind');
      expect(leftover?.status).toBe('fail');
      expect(leftover?.failure?.summary).toMatch(/still held tcp .*LISTEN/);
      // Every holder it named is ended (a child that holds nothing yet cannot be seen without a cgroup).
      const { isLive } = await import('../grader/run/proc.ts');
      const named = [...(leftover?.failure?.actual ?? '').matchAll(/pid (\d+) holds/g)].map((match) => Number(match[1]));
      expect(named.length).toBeGreaterThan(0);
      await pollUntil(() => (named.every((pid) => !isLive(pid)) ? true : undefined), 3000, 'the named holders to die').catch(() => {});
      expect(named.filter(isLive)).toEqual([]);
    } finally {
      delete process.env.GRADER_NO_CGROUP;
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('a grader killed by SIGKILL', () => {
  const cases = [
    { name: 'plain', args: [] as string[] },
    { name: 'sandboxed', args: ['--sandbox'] },
  ];
  it.for(cases)('takes its programs with it ($name)', { timeout: 60_000 }, async ({ args }, context) => {
    if (!fs.existsSync('/proc/self/stat')) context.skip('needs /proc to find the processes');
    if (args.length) requireSandbox(context);
    const { execa } = await import('execa');
    const { liveDescendants, isLive } = await import('../grader/run/proc.ts');
    const dir = path.join(fixturesRoot, 'misbehaving', 'never-answers');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'killed-grader-'));
    fs.cpSync(dir, path.join(root, '01-echo-server'), { recursive: true });
    const grader = execa(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'grader', 'cli.ts'), 'grade', '1', '--dir', root, ...args], {
      cwd: repoRoot,
      reject: false,
      buffer: true,
    });
    try {
      // The program is up once it has printed its line to the grader; its processes are the grader's descendants.
      const program = await pollUntil(() => {
        const found = liveDescendants(grader.pid!).filter((pid) => /server\.m?[jt]s/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')));
        return found.length ? found : undefined;
      }, 20_000, 'the program to start under the grader');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const everything = [...new Set([...program, ...program.flatMap((pid) => liveDescendants(pid))])];
      grader.kill('SIGKILL');
      await grader;
      await pollUntil(() => (everything.every((pid) => !isLive(pid)) ? true : undefined), 5000, 'the programs to die with their grader').catch(() => {});
      expect(everything.filter(isLive)).toEqual([]);
    } finally {
      grader.kill('SIGKILL');
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
