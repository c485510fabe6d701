// Keeps one core busy while the stress command grades, as a loaded machine would.
import { Worker } from 'node:worker_threads';

const SPIN = 'for (;;) {}';

export function startBusyCore(): { stop(): Promise<void> } {
  const worker = new Worker(SPIN, { eval: true });
  worker.unref();
  return { stop: async () => void (await worker.terminate()) };
}
