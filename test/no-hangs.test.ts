// Programs that misbehave in ways no check is about (never listen, spin, flood stdout,
// ignore SIGTERM, escape the process group) are graded within a bound, with a message that
// says what happened, and leave no process and no port behind.
import path from 'node:path';
import { describe as group, expect, it } from 'vitest';
import { failureBlock } from '../grader/report/text.ts';
import { painter } from '../grader/report/paint.ts';
import { describe, expectNothingLeft, firstFailure, fixturesRoot, gradeVariant, lessonOf } from './helpers/grade.ts';

interface Misbehaving {
  /** Folder under test/fixtures/misbehaving/, graded as lesson 1's server.ts. */
  readonly name: string;
  readonly failsAt: string;
  /** The failure's summary must say what happened. */
  readonly summary: RegExp;
  /** Checked on the printed report of the failed check, when the summary alone cannot say it. */
  readonly report?: RegExp;
  /** The program wrote far more than the grader keeps. */
  readonly floods?: boolean;
}

// A deadline, not a performance target: the slowest case waits about 9 s for a server that
// never listens, plus 0.5 s of SIGTERM grace and the KILL; 30 s leaves room for a loaded machine.
const BOUND_MS = 30_000;

const cases: readonly Misbehaving[] = [
  { name: 'never-listens', failsAt: 'listens', summary: /gave up after [\d.]+ s waiting for server\.ts to listen on/ },
  { name: 'exits-at-once', failsAt: 'listens', summary: /server\.ts exited with code 1 before it listened on/ },
  { name: 'busy-loop', failsAt: 'prints-peer', summary: /did not print the line "Connected by/ },
  { name: 'never-answers', failsAt: 'echoes-binary', summary: /0 bytes came back for 65536 sent/ },
  { name: 'floods-stdout', failsAt: 'exits', summary: /still running 3 s after/, report: /output cut at the cap/, floods: true },
  { name: 'ignores-sigterm', failsAt: 'exits', summary: /still running 3 s after its only client closed the connection/ },
  { name: 'forks-keeper', failsAt: 'exits', summary: /exited, but left a process of its own running \(pid \d+\) holding [\d.]+:\d+ LISTEN/ },
];

group('misbehaving lesson-1 servers', () => {
  it.concurrent.each(cases)('grades "$name" within the bound, failing at $failsAt', async (entry) => {
    const started = performance.now();
    const result = await gradeVariant(lessonOf('01-echo-server').slug, path.join(fixturesRoot, 'misbehaving', entry.name), 17);
    const tookMs = performance.now() - started;

    expect(firstFailure(result), describe(result)).toBe(entry.failsAt);
    const failed = result.checks.find((check) => check.id === entry.failsAt)!;
    expect(failed.status, describe(result)).toBe('fail');
    expect(failed.failure?.summary).toMatch(entry.summary);
    if (entry.report) {
      const report = failureBlock(failed, { lesson: result.lesson, seed: result.seed, source: [] }, painter(false)).join('\n');
      expect(report).toMatch(entry.report);
    }
    if (entry.floods) {
      const output = failed.outputs[0]!;
      expect(output.truncated).toBe(true);
      expect(Buffer.byteLength(output.stdout)).toBeLessThanOrEqual(256 * 1024);
      expect(output.stdout).toMatch(/^Connected by /);
    }
    expect(tookMs, `graded in ${Math.round(tookMs)} ms`).toBeLessThan(BOUND_MS);
    await expectNothingLeft(result);
  });
});
