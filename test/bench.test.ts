// The smoke form of `npm run bench`: it runs and reports its figures. How fast anything is
// is never asserted here: these machines are shared and noisy.
import { describe, expect, it } from 'vitest';
import { main } from '../grader/main.ts';
import { recordingIo } from './helpers/io.ts';

describe('npm run bench', () => {
  it('measures program starts and a lesson graded, as JSON', { timeout: 120_000 }, async () => {
    const { io, stdout } = recordingIo();
    expect(await main(['bench', '2', '--runs', '1', '--json'], io)).toBe(0);
    const figures = JSON.parse(stdout());
    expect(figures).toMatchObject({ version: 1, machine: { node: process.version }, lessons: [{ lesson: 2, status: 'pass' }] });
    for (const key of ['plainNode', 'nodeImportTsx', 'tsxCli']) expect(figures.starts[key]).toBeGreaterThan(0);
    expect(figures.lessons[0].tsxStarts).toBeGreaterThan(0);
  });
});
