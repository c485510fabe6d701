// Lesson 6: a port that never answers, so a port checker can be graded on "PORT timeout".
// On Linux a listener whose accept queue is full drops new SYNs: connect() is neither
// accepted nor refused, the client just retransmits its SYN. A worker thread listens with
// backlog 1 and then blocks, so nothing is ever accepted; the grader fills the queue with
// its own connections. Other systems differ (macOS may answer with RST), so elsewhere the
// check that needs this is not run.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { hasProc } from '../run/proc.ts';
import { DeadlineError, pollUntil, withDeadline } from '../run/deadline.ts';
import type { CheckContext } from './check.ts';

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

/** The 16 bytes of an IPv6 address ("::1", "fe80::1:2"). */
function ipv6Bytes(host: string): number[] {
  const [head = '', tail = ''] = host.split('::');
  const groups = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = groups(head);
  const right = host.includes('::') ? groups(tail) : [];
  const all = [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((group) => [group >> 8, group & 0xff]);
}

/**
 * A host and port as /proc/net/tcp(6) writes them: 127.0.0.1:8080 is "0100007F:1F90"; an IPv6
 * address is four 32-bit words, each in the machine's (little-endian) byte order.
 */
function procEndpoint(host: string, port: number): string {
  const bytes = net.isIPv6(host) ? ipv6Bytes(host) : host.split('.').map(Number);
  const words: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) words.push(...bytes.slice(i, i + 4).reverse());
  const hexHost = words.map((byte) => byte.toString(16).padStart(2, '0')).join('').toUpperCase();
  return `${hexHost}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The rows of /proc/net/tcp and tcp6 split into fields: sl, local, remote, state, tx_queue:rx_queue, …; undefined if unreadable. */
function procTcpRows(): string[][] | undefined {
  const rows: string[][] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      if (file === '/proc/net/tcp') return undefined;
      continue; // no IPv6 on this machine
    }
    rows.push(...text.split('\n').slice(1).map((line) => line.trim().split(/\s+/)));
  }
  return rows;
}

/** Length of the accept queue of the LISTEN socket on host:port, per /proc/net/tcp. */
function acceptQueueLength(host: string, port: number): number | undefined {
  const local = procEndpoint(host, port);
  // For a listener rx_queue is the accept queue.
  const row = procTcpRows()?.find((fields) => fields[1] === local && fields[3] === '0A');
  return row ? parseInt(row[4]!.split(':')[1]!, 16) : undefined;
}

/**
 * The local ends of every socket now connecting (SYN-SENT) to host:port, per /proc/net/tcp;
 * undefined if it cannot be read. A connect to the port that never answers stays in SYN-SENT
 * until the program gives up, so this shows when a program's attempt began and whether it made one.
 */
export function connectingTo(host: string, port: number): Set<string> | undefined {
  return socketsTo(host, port, 'SYN-SENT');
}

/** /proc/net/tcp's code for each TCP state a watch may look for. */
const STATE_CODES = { ESTABLISHED: '01', 'SYN-SENT': '02' } as const;
export type WatchedState = keyof typeof STATE_CODES;

/** The local ends of every socket now in `state` whose peer is host:port, per /proc/net/tcp(6); undefined if it cannot be read. */
export function socketsTo(host: string, port: number, state: WatchedState): Set<string> | undefined {
  const remote = procEndpoint(host, port);
  const rows = procTcpRows();
  if (!rows) return undefined;
  return new Set(rows.filter((fields) => fields[2] === remote && fields[3] === STATE_CODES[state]).map((fields) => fields[1]!));
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
    let timer: NodeJS.Timeout | undefined;
    const unanswered = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), context.ms(1000))));
    const answered = await Promise.race([connected, unanswered]).finally(() => clearTimeout(timer));
    const length = await pollUntil(() => acceptQueueLength(host, port), context.ms(2000), `the accept queue of ${host}:${port} in /proc/net/tcp`);
    if (!answered && length === queued) return;
    queued = length;
  }
  throw new DeadlineError(`the kernel to drop a SYN to the full listener on ${host}:${port}`, context.ms(8000));
}
