import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Grading spawns real processes; two workers match the two cores of these machines.
    pool: 'forks',
    maxWorkers: 2,
    // Catalogue gradings mostly wait on the programs' timers and sockets: three at a time per
    // worker (each runs up to three scenarios at once: more and timing checks feel the load). Each has its own claimed ports and folder, and its own seed, so a HOST of its own
    // (test/helpers/catalogue.ts ownSeed): a fixture that hard-codes a port meets no other.
    maxConcurrency: 3,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
