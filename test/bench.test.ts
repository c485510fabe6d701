// The smoke form of `npm run bench`: it runs and reports its figures. How fast anything is
// is never asserted here: these machines are shared and noisy.
import { describe, expect, it } from 'vitest';
import { measureManyConnections } from '../grader/bench/many-connections.ts';
import { main } from '../grader/main.ts';
import { recordingIo } from './helpers/io.ts';

describe('npm run bench', () => {
  it('measures program starts, a lesson graded and a class graded, as JSON', { timeout: 120_000 }, async () => {
    const { io, stdout } = recordingIo();
    expect(await main(['bench', '2', '--runs', '1', '--json', '--class', '1', '--jobs', '1', '--proxies'], io)).toBe(0);
    const figures = JSON.parse(stdout());
    expect(figures).toMatchObject({ version: 1, machine: { node: process.version }, lessons: [{ lesson: 2, status: 'pass' }] });
    for (const key of ['plainNode', 'nodeImportTsx', 'tsxCli']) expect(figures.starts[key]).toBeGreaterThan(0);
    expect(figures.lessons[0].tsxStarts).toBeGreaterThan(0);
    expect(figures.classGrading).toMatchObject({ students: 1, lessons: 1, jobs: 1, gradings: 1, passed: 1 });
    expect(figures.proxies.map((figure: { via: string }) => figure.via)).toEqual(['direct', 'proxy "mixed"', 'proxy "bulk"', 'proxy "coalesce"', 'proxy "bytes"']);
    for (const figure of figures.proxies) expect(figure.throughputKiBs).toBeGreaterThan(0);
  });

  it("holds lesson 5's reference server under many connections and compares it with a bare pipe echo", { timeout: 120_000 }, async () => {
    const load = await measureManyConnections(200);
    expect(load).toMatchObject({ connections: 200, opened: 200, answered: 200 });
    expect(load.roundTripMs.p99).toBeGreaterThanOrEqual(load.roundTripMs.p50);
    expect(load.throughputMiBs).toBeGreaterThan(0);
    expect(load.ratioToPipe).toBeGreaterThan(0);
  });
});
