// The smoke form of `npm run bench`: it runs and reports its figures. How fast anything is
// is never asserted here: these machines are shared and noisy.
import { describe, expect, it } from 'vitest';
import { measureManyConnections } from '../grader/bench/many-connections.ts';
import { measureProxies } from '../grader/bench/proxy.ts';
import { main } from '../grader/main.ts';
import { recordingIo } from './helpers/io.ts';

describe('npm run bench', () => {
  it('measures program starts, a lesson graded and a class graded, as JSON', { timeout: 120_000 }, async () => {
    const { io, stdout } = recordingIo();
    expect(await main(['bench', '2', '--runs', '1', '--json', '--class', '1', '--jobs', '1'], io)).toBe(0);
    const figures = JSON.parse(stdout());
    expect(figures).toMatchObject({ version: 1, machine: { node: process.version }, lessons: [{ lesson: 2, status: 'pass' }] });
    for (const key of ['plainNode', 'nodeImportTsx', 'tsxCli']) expect(figures.starts[key]).toBeGreaterThan(0);
    expect(figures.lessons[0].tsxStarts).toBeGreaterThan(0);
    expect(figures.classGrading).toMatchObject({ students: 1, lessons: 1, jobs: 1, gradings: 1, passed: 1 });
    expect(figures.proxies).toBeUndefined();
  });

  // --proxies at full size sends 8 MiB per plan and 16 KiB in 1-3 byte pieces: ~40 s. The same code, small.
  it("measures each proxy plan's round trip and throughput against the echo reached directly", { timeout: 60_000 }, async () => {
    const figures = await measureProxies({ roundTrips: 3, bulkBytes: 256 * 1024, bytesPlanBytes: 256 });
    expect(figures.map((figure) => figure.via)).toEqual(['direct', 'proxy "mixed"', 'proxy "bulk"', 'proxy "coalesce"', 'proxy "bytes"']);
    for (const figure of figures) {
      expect(figure.roundTripMs).toBeGreaterThan(0);
      expect(figure.throughputKiBs).toBeGreaterThan(0);
    }
  });

  it("holds lesson 5's reference server under many connections and compares it with a bare pipe echo", { timeout: 120_000 }, async () => {
    const load = await measureManyConnections(200);
    expect(load).toMatchObject({ connections: 200, opened: 200, answered: 200 });
    expect(load.roundTripMs.p99).toBeGreaterThanOrEqual(load.roundTripMs.p50);
    expect(load.throughputMiBs).toBeGreaterThan(0);
    expect(load.ratioToPipe).toBeGreaterThan(0);
  });
});
