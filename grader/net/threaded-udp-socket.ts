// A UDP socket read and written on a thread of its own: each datagram is stamped when it
// arrived, not when the grader's main thread got to it. That thread runs other checks and other
// gradings, and on a loaded machine it is scheduled out for tens of milliseconds: read there, a
// client's tries 20 ms apart come out in pairs, like copies sent together, and a correct retry
// timer shows gaps under 50 ms. A thread that does nothing but wait on the socket is woken at
// once. Lesson 4 times a client's tries from these stamps.
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { settledWithin } from '../run/deadline.ts';
import { udpAddress } from './udp-peer.ts';

/** What the thread forwards at most; a client that floods costs a count beyond it. */
const FORWARDED_DATAGRAMS = 4096;
const CLOSE_MS = 2000;

// Plain JavaScript, evaluated by the worker: it must not depend on the grader's TypeScript loader.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const dgram = require('node:dgram');
const { host, port, ipv6, limit, answer } = workerData;
const socket = dgram.createSocket({ type: ipv6 ? 'udp6' : 'udp4', reuseAddr: false });
let forwarded = 0;
const seen = new Set();
let lastEcho;
// How the thread itself answers, so no stall of the main thread delays an echo.
function reply(data, rinfo) {
  if (answer === 'echo') return (socket.send(data, rinfo.port, rinfo.address, () => {}), 'echoed');
  if (answer !== 'drop-first-copy') return 'kept';
  const text = data.toString('latin1');
  if (!seen.has(text)) {
    seen.add(text);
    if (!lastEcho) return 'dropped';
    socket.send(lastEcho, rinfo.port, rinfo.address, () => {});
    return 'dropped, late duplicate sent';
  }
  lastEcho = data;
  socket.send(data, rinfo.port, rinfo.address, () => {});
  return 'echoed';
}
socket.on('message', (data, rinfo) => {
  const at = performance.timeOrigin + performance.now();
  const action = reply(data, rinfo);
  if (forwarded++ < limit) parentPort.postMessage({ kind: 'datagram', data, address: rinfo.address, port: rinfo.port, at, action, lastEcho: action === 'dropped, late duplicate sent' ? lastEcho : undefined });
});
socket.on('error', (error) => parentPort.postMessage({ kind: 'error', message: error.code || error.message }));
socket.bind({ port, address: host, exclusive: true }, () => parentPort.postMessage({ kind: 'bound', port: socket.address().port }));
parentPort.on('message', (order) => {
  if (order.kind === 'send') socket.send(order.data, order.port, order.address, () => {});
  else socket.close(() => parentPort.close());
});
`;

type FromThread =
  | { readonly kind: 'datagram'; readonly data: Uint8Array; readonly address: string; readonly port: number; readonly at: number; readonly action: Action; readonly lastEcho?: Uint8Array }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'bound'; readonly port: number };

export interface Sender {
  readonly address: string;
  readonly port: number;
}

/**
 * What the socket's thread does with each datagram it reads: nothing ('keep'), send it back
 * ('echo'), or drop the first copy of each text, answering it with the echo sent last (a late
 * duplicate), and echo the copies after it ('drop-first-copy').
 */
export type Answer = 'keep' | 'echo' | 'drop-first-copy';
/** What it did with one: the main thread hears of it after the fact. */
export type Action = 'kept' | 'echoed' | 'dropped' | 'dropped, late duplicate sent';

export interface Received {
  readonly data: Buffer;
  readonly from: Sender;
  /** performance.now() at which the socket's thread read it. */
  readonly at: number;
  readonly action: Action;
  /** The late duplicate sent for a dropped copy. */
  readonly lateDuplicate?: Buffer;
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export class ThreadedUdpSocket {
  private readonly handlers: Array<(received: Received) => void> = [];
  private readonly errorHandlers: Array<(message: string) => void> = [];
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    readonly port: number,
  ) {
    // A thread that dies cannot take the grader with it: its datagrams just stop.
    worker.on('error', (error) => this.failed(`its thread failed: ${error.message}`));
    worker.on('message', (message: FromThread) => {
      if (message.kind === 'error') this.failed(message.message);
      if (message.kind !== 'datagram' || this.closed) return;
      const received: Received = {
        data: asBuffer(message.data),
        from: { address: message.address, port: message.port },
        // Each thread's clock counts from its own start: the stamp is moved onto this thread's.
        at: message.at - performance.timeOrigin,
        action: message.action,
        lateDuplicate: message.lastEcho && asBuffer(message.lastEcho),
      };
      for (const handler of this.handlers) handler(received);
    });
  }

  /** A socket bound to `host` (a loopback address, never a wildcard) on `port` (0: any). */
  static open(host: string, port: number, answer: Answer = 'keep'): Promise<ThreadedUdpSocket> {
    const worker = new Worker(THREAD, { eval: true, workerData: { host, port, ipv6: net.isIPv6(host), limit: FORWARDED_DATAGRAMS, answer } });
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      worker.once('error', failed);
      worker.on('message', function bound(message: FromThread) {
        if (message.kind === 'error') {
          void worker.terminate();
          reject(new Error(`the grader could not bind ${udpAddress(host, port)}: ${message.message}`));
        }
        if (message.kind !== 'bound') return;
        worker.off('message', bound);
        worker.off('error', failed);
        resolve(new ThreadedUdpSocket(worker, message.port));
      });
    });
  }

  private failed(message: string): void {
    for (const handler of this.errorHandlers) handler(message);
  }

  /** Runs for every datagram that arrives, with the performance.now() at which the socket's thread read it. */
  onMessage(handler: (received: Received) => void): void {
    this.handlers.push(handler);
  }

  onError(handler: (message: string) => void): void {
    this.errorHandlers.push(handler);
  }

  send(data: Buffer, port: number, address: string): void {
    if (!this.closed) this.worker.postMessage({ kind: 'send', data, port, address });
  }

  /** Closes the socket and ends the thread; terminates it if it does not end by itself. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const exited = new Promise<true>((resolve) => this.worker.once('exit', () => resolve(true)));
    this.worker.postMessage({ kind: 'close' });
    if ((await settledWithin(exited, CLOSE_MS)) === undefined) await this.worker.terminate();
  }
}
