// The grader's end of UDP: one socket bound to a loopback address. Every datagram it
// sends or receives is logged as its own transcript line (datagram boundaries are the
// point of the lesson, so they are never merged), and a check can wait, with a deadline,
// for a datagram that matches. It keeps the most recent datagrams only (a program that
// floods the grader's socket costs a count, not memory), numbered from the first: since(n)
// with a number taken from `count` earlier.
import dgram from 'node:dgram';
import net from 'node:net';
import { formatBytes, MiB, WindowExceededError } from './byte-window.ts';
import { Conditions } from './conditions.ts';
import { escapeBytes } from './escape.ts';
import { guardedUntil } from './tcp-peer.ts';
import type { Transcript } from './transcript.ts';

export interface Datagram {
  readonly data: Buffer;
  readonly address: string;
  readonly port: number;
  /** performance.now() when the grader read it. */
  readonly at: number;
}


export interface DatagramLimits {
  /** The most recent datagrams kept. */
  readonly datagrams: number;
  /** ...and at most this many bytes of them. */
  readonly bytes: number;
}

/** Lesson 4's checks look at tens of datagrams of at most 64 KiB each. */
export const KEPT_DATAGRAMS: DatagramLimits = { datagrams: 4096, bytes: 8 * MiB };

export function udpAddress(address: string, port: number): string {
  return net.isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
}

export function describeDatagram(data: Buffer): string {
  return `${data.length}-byte datagram ${escapeBytes(data, 48)}`;
}

export class UdpPeer {
  /** The datagrams kept, oldest first; kept[0] is datagram number `first` (0-based) of all received. */
  private readonly kept: Datagram[] = [];
  private first = 0;
  private keptBytes = 0;
  /** Datagrams received in all, kept or not. */
  count = 0;
  /** Their bytes in all. */
  bytes = 0;
  private readonly conditions = new Conditions();
  private readonly handlers: Array<(datagram: Datagram) => void> = [];
  closed = false;

  private constructor(
    readonly socket: dgram.Socket,
    readonly name: string,
    private readonly transcript: Transcript,
    /** False for a socket whose traffic is logged by someone else (the lossy link in front of it). */
    private readonly log: boolean,
    private readonly limits: DatagramLimits,
  ) {
    socket.on('message', (data, rinfo) => {
      const datagram: Datagram = { data, address: rinfo.address, port: rinfo.port, at: performance.now() };
      this.keep(datagram);
      if (this.log) transcript.note(name, `received ${describeDatagram(data)} from ${udpAddress(rinfo.address, rinfo.port)}`);
      for (const handler of this.handlers) handler(datagram);
      this.conditions.recheck();
    });
    // An unhandled 'error' would crash the grader; on an unconnected socket it is rare.
    socket.on('error', (error: NodeJS.ErrnoException) => transcript.note(name, `socket error ${error.code ?? error.message}`));
    socket.on('close', () => {
      this.closed = true;
      this.conditions.recheck();
    });
  }

  /** A socket bound to `host` (a loopback address, never a wildcard) on `port` (0: any). */
  static open(host: string, name: string, transcript: Transcript, options: { port?: number; log?: boolean; limits?: DatagramLimits } = {}): Promise<UdpPeer> {
    const socket = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ port: options.port ?? 0, address: host, exclusive: true }, () => {
        socket.removeListener('error', reject);
        resolve(new UdpPeer(socket, name, transcript, options.log ?? true, options.limits ?? KEPT_DATAGRAMS));
      });
    });
  }

  private keep(datagram: Datagram): void {
    this.count++;
    this.bytes += datagram.data.length;
    this.kept.push(datagram);
    this.keptBytes += datagram.data.length;
    while (this.kept.length > this.limits.datagrams || (this.keptBytes > this.limits.bytes && this.kept.length > 1)) {
      this.keptBytes -= this.kept.shift()!.data.length;
      this.first++;
    }
  }

  /** The datagrams kept, oldest first (the most recent `limits.datagrams` of them). */
  get received(): readonly Datagram[] {
    return this.kept;
  }

  get address(): string {
    return this.socket.address().address;
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Runs for every datagram that arrives, after it is recorded. */
  onDatagram(handler: (datagram: Datagram) => void): void {
    this.handlers.push(handler);
  }

  /** Sends one datagram; resolves once the kernel took it. */
  send(data: Buffer | string, port: number, address: string): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (this.log) this.transcript.note(this.name, `sent ${describeDatagram(bytes)} to ${udpAddress(address, port)}`);
    return new Promise((resolve, reject) => {
      if (this.closed) return resolve();
      this.socket.send(bytes, port, address, (error) => (error ? reject(error) : resolve()));
    });
  }

  /**
   * Datagrams received from number `from` (a value of `count` taken earlier) on. Throws
   * WindowExceededError when some of them are no longer kept.
   */
  since(from: number): Datagram[] {
    if (from < this.first) {
      throw new WindowExceededError(
        `${this.count - from} datagrams (${formatBytes(this.bytes)} in all) arrived at ${this.name}, more than the ${this.limits.datagrams} datagrams or ${formatBytes(this.limits.bytes)} the grader keeps: far more than this check asks for`,
        `at most ${this.limits.datagrams} datagrams at ${this.name}`,
        `${this.count - from} datagrams; the first ${this.first - from} of them were no longer kept`,
      );
    }
    return this.kept.slice(from - this.first);
  }

  /** Resolves once `ready()` holds; it is re-checked after every datagram (a condition that throws rejects). */
  until(ready: () => boolean, ms: number, waitedFor: string): Promise<void> {
    return guardedUntil(this.conditions, ready, ms, waitedFor);
  }

  /** Like until(), but resolves with false instead of failing when the time is up. */
  async within(ready: () => boolean, ms: number): Promise<boolean> {
    return this.until(ready, ms, '').then(
      () => true,
      () => false,
    );
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => {
      this.socket.close(() => resolve());
      this.conditions.recheck();
    });
  }
}
