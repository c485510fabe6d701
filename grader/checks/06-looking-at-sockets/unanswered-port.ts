// Lesson 6: the port that never answers, which the grader plays so that "PORT timeout" can be graded.
// On Linux a listener whose accept queue is full drops new SYNs: connect() is neither
// accepted nor refused, the client just retransmits its SYN. A worker thread listens with
// backlog 1 and then blocks, so nothing is ever accepted; the grader fills the queue with
// its own connections. Other systems differ (macOS may answer with RST), so elsewhere the
// check that needs this is not run.
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { hasProc } from '../../run/proc.ts';
import { DeadlineError, pollUntil, settledWithin, withDeadline } from '../../run/deadline.ts';
import type { CheckContext } from '../check.ts';
import { acceptQueueLength } from './proc-tcp.ts';

export const canMakeUnansweredPort = process.platform === 'linux' && hasProc;

// Plain CommonJS for eval: the worker needs no TypeScript. Atomics.wait blocks its event
// loop for good, so libuv never calls accept(); terminate() still ends it.
const LISTENER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const server = net.createServer();
server.once('error', (error) => parentPort.postMessage({ error: String(error.code || error) }));
server.listen({ host: workerData.host, port: workerData.port, backlog: 1, exclusive: true }, () => {
  parentPort.postMessage({ listening: true });
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});
`;

function connectOnce(host: string, port: number, context: CheckContext): { socket: net.Socket; connected: Promise<boolean> } {
  const socket = net.connect({ host, port });
  context.onCleanup(() => socket.destroy());
  const connected = new Promise<boolean>((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('error', () => resolve(false));
  });
  return { socket, connected };
}

/**
 * Listens on HOST:port and never answers a new connection. Resolves once the kernel has
 * been seen to drop a SYN; everything is closed by the context's cleanup.
 */
export async function listenWithoutAnswering(context: CheckContext, port: number): Promise<void> {
  const { host } = context;
  const worker = new Worker(LISTENER_SOURCE, { eval: true, workerData: { host, port } });
  context.onCleanup(() => worker.terminate());
  const started = await withDeadline(
    new Promise<{ listening?: boolean; error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    }),
    context.ms(5000),
    `a grader listener on ${host}:${port} that never accepts`,
  );
  if (!started.listening) throw new Error(`the grader could not listen on ${host}:${port}: ${started.error}`);

  // Fill the accept queue, then prove it is full: a further SYN must be dropped, which the
  // kernel shows as a queue that stops growing while that connection stays unanswered.
  for (let queued = 0; queued < 8; ) {
    const { connected } = connectOnce(host, port, context);
    // On loopback the kernel answers a SYN at once, whatever the load on user space;
    // 1 s leaves room for this process's event loop to be slow in telling us.
    const answered = (await settledWithin(connected, context.ms(1000))) ?? false;
    const length = await pollUntil(() => acceptQueueLength(host, port), context.ms(2000), `the accept queue of ${host}:${port} in /proc/net/tcp`);
    if (!answered && length === queued) return;
    queued = length;
  }
  throw new DeadlineError(`the kernel to drop a SYN to the full listener on ${host}:${port}`, context.ms(8000));
}
