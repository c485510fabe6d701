// `npm run grade lesson-N | head` closes the grader's stdout early: no stack trace, no program left.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../grader/paths.ts';

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

describe('a reader that goes away', () => {
  it('ends the grader quietly with code 130 when its stdout closes', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [tsxCli, path.join(repoRoot, 'grader', 'cli.ts'), 'grade', 'lesson-7', '--solution', '--seed', '1'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += String(data)));
    // Like head -1: read the first line, then close the pipe.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at /);
    expect(code).toBe(130);
  });
});
