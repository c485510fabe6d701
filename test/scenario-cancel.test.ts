// A scenario cancelled by an earlier one's failure: its programs are stopped and it starts no
// more, so a check still setting up does not run a program in full for a result nobody sees.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createGradingRun, ScenarioCancelled, type GradingRun } from '../grader/context.ts';
import { startProgram } from '../grader/run/program.ts';

let run: GradingRun | undefined;
afterEach(async () => {
  await run?.cleanUp();
});

it('stops what the scenario started and refuses to start more', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cancel-'));
  fs.writeFileSync(path.join(dir, 'waits.ts'), 'setTimeout(() => {}, 60_000);\n');
  run = createGradingRun(dir, 5);
  const cancelled = run.scenario();
  const other = run.scenario();
  const program = cancelled.context.start('waits.ts');
  const untouched = other.context.start('waits.ts');

  cancelled.cancel();
  expect(await program.exited).toBeDefined();
  expect(() => cancelled.context.start('waits.ts')).toThrow(ScenarioCancelled);
  expect(run.programs).toHaveLength(2);
  // Another scenario of the same run goes on.
  expect(untouched.running).toBe(true);
  expect(other.context.start('waits.ts').running).toBe(true);
});

// What cancel() does to a check that has just started its program. In a cgroup the program
// joins a moment after the spawn; one stopped before that was once taken for gone and left
// running (several of these 30, before the fix).
it('stops a program the moment it has started', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cancel-'));
  fs.writeFileSync(path.join(dir, 'waits.ts'), 'setTimeout(() => {}, 60_000);\n');
  const escaped: number[] = [];
  for (let i = 0; i < 30; i++) {
    const program = startProgram({ file: path.join(dir, 'waits.ts'), env: {} });
    // The window is somewhere in the first milliseconds: stop at different moments of it.
    await new Promise((resolve) => setTimeout(resolve, i % 5));
    await program.stop();
    if (!program.exit || program.leftovers().length > 0) escaped.push(program.pid);
    await program.stop();
  }
  expect(escaped, 'programs still running after stop()').toEqual([]);
});
