// A listener whose connects hang: on Linux a listener whose accept queue is full drops new
// SYNs, so connect() is neither accepted nor refused and the client's kernel sends its SYN again
// 1 s later (then every second on Linux 6.5 and later, after 2 s, 4 s, … before). A worker
// thread listens with backlog 1 and blocks, so nothing is accepted; the grader fills the queue
// with its own connections. Lesson 6's port that never answers stays so. Lesson 7's opens once
// the client's SYN was dropped and forwards every connection to the grader's server, so the
// client's connect completes about 1 s late. Other systems differ (macOS may answer with RST),
// so elsewhere the checks that need this are not run.
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { lookAtListener } from '../../net/proc-net-tcp.ts';
import { DeadlineError, pollUntil, settledWithin, withDeadline } from '../../run/deadline.ts';
import { hasProc } from '../../run/proc.ts';
import type { CheckContext } from '../check.ts';

export const canDropSyns = process.platform === 'linux' && hasProc;

/** Connections the grader may queue before a SYN is dropped: backlog 1 holds two. */
const MAX_FILLERS = 8;
/**
 * How long a connect must stay unanswered, with the queue not growing, to count as dropped, before
 * scaling: the kernel answers a loopback SYN within the connect() call, unless a loaded machine
 * leaves its packet processing to ksoftirqd, which can wait its turn for the CPU.
 */
export const DROP_SEEN_MS = 250;

// Plain CommonJS for eval: the worker needs no TypeScript. Atomics.wait blocks its event loop,
// so libuv never calls accept() until the grader flips gate[0]; terminate() ends it either way.
// gate[1..] are the grader's own connections in the queue, dropped when accepted.
const LISTENER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const gate = new Int32Array(workerData.gate);
const { host, port, target } = workerData;
function forward(socket) {
  if (!target || Array.from(gate.subarray(1)).includes(socket.remotePort)) return socket.destroy();
  const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
  socket.on('error', () => upstream.destroy());
  socket.on('close', () => upstream.destroy());
  upstream.on('error', () => (socket.resetAndDestroy ? socket.resetAndDestroy() : socket.destroy()));
  socket.pipe(upstream);
  upstream.pipe(socket);
}
const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, forward);
server.once('error', (error) => parentPort.postMessage({ error: String(error.code || error) }));
server.listen({ host, port, backlog: 1, exclusive: true }, () => {
  parentPort.postMessage({ listening: true });
  Atomics.wait(gate, 0, 0);
});
`;

export interface DroppingListener {
  /** From now on, accepts every connection (the client's dropped SYNs, when sent again) and forwards it to the target. */
  open(): void;
}

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
 * Listens on HOST:port and answers no new connection. Resolves once the kernel has been seen to
 * drop a SYN; everything is closed by the context's cleanup. With a target, open() lets
 * connections through to it.
 */
export async function listenDroppingSyns(context: CheckContext, port: number, target?: { readonly host: string; readonly port: number }): Promise<DroppingListener> {
  const { host } = context;
  const gate = new Int32Array(new SharedArrayBuffer(4 * (1 + MAX_FILLERS)));
  const worker = new Worker(LISTENER_SOURCE, { eval: true, workerData: { host, port, target, gate: gate.buffer } });
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
  // kernel shows as a connect still unanswered (SYN-SENT) while the queue did not grow. On
  // loopback the kernel answers a SYN at once: a SYN-SENT seen DROP_SEEN_MS apart is one it dropped.
  let fillers = 0;
  for (let attempt = 0, queued = 0; attempt < MAX_FILLERS; attempt++) {
    const { socket, connected } = connectOnce(host, port, context);
    let answered = false;
    void connected.then((ok) => (answered = ok));
    let waitingSince: number | undefined;
    const outcome = await pollUntil(
      () => {
        if (answered) return 'answered';
        const look = lookAtListener(host, port);
        if (look?.acceptQueue === undefined) return undefined;
        if (look.acceptQueue > queued) return 'queued';
        if (look.waiting.length === 0) return (waitingSince = undefined);
        waitingSince ??= Date.now();
        return Date.now() - waitingSince >= context.ms(DROP_SEEN_MS) ? 'dropped' : undefined;
      },
      context.ms(2000),
      `the kernel to queue or drop a connect to ${host}:${port} (/proc/net/tcp)`,
      { firstDelayMs: 2, maxDelayMs: 50 },
    );
    if (outcome === 'dropped') {
      return {
        open() {
          // The unanswered one would be let in by its next SYN.
          socket.destroy();
          Atomics.store(gate, 0, 1);
          Atomics.notify(gate, 0);
        },
      };
    }
    // Queued: the grader's own, dropped by the worker when it accepts it.
    await settledWithin(connected, context.ms(1000));
    gate[1 + fillers++] = socket.localPort ?? 0;
    queued = lookAtListener(host, port)?.acceptQueue ?? queued + 1;
  }
  throw new DeadlineError(`the kernel to drop a SYN to the full listener on ${host}:${port}`, context.ms(8000));
}
