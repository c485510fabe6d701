// The grader's end of UDP: one socket bound to a loopback address. Every datagram it
// sends or receives is logged as its own transcript line (datagram boundaries are the
// point of the lesson, so they are never merged), and a check can wait, with a deadline,
// for a datagram that matches.
import dgram from 'node:dgram';
import net from 'node:net';
import { Conditions } from './conditions.ts';
import { escapeBytes } from './escape.ts';
import type { Transcript } from './transcript.ts';

export interface Datagram {
  readonly data: Buffer;
  readonly address: string;
  readonly port: number;
  /** performance.now() when the grader read it. */
  readonly at: number;
}


export function udpAddress(address: string, port: number): string {
  return net.isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
}

export function describeDatagram(data: Buffer): string {
  return `${data.length}-byte datagram ${escapeBytes(data, 48)}`;
}

export class UdpPeer {
  readonly received: Datagram[] = [];
  private readonly conditions = new Conditions();
  private readonly handlers: Array<(datagram: Datagram) => void> = [];
  closed = false;

  private constructor(
    readonly socket: dgram.Socket,
    readonly name: string,
    private readonly transcript: Transcript,
    /** False for a socket whose traffic is logged by someone else (the lossy link in front of it). */
    private readonly log: boolean,
  ) {
    socket.on('message', (data, rinfo) => {
      const datagram: Datagram = { data, address: rinfo.address, port: rinfo.port, at: performance.now() };
      this.received.push(datagram);
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
  static open(host: string, name: string, transcript: Transcript, options: { port?: number; log?: boolean } = {}): Promise<UdpPeer> {
    const socket = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ port: options.port ?? 0, address: host, exclusive: true }, () => {
        socket.removeListener('error', reject);
        resolve(new UdpPeer(socket, name, transcript, options.log ?? true));
      });
    });
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

  /** Datagrams received from index `from` on. */
  since(from: number): Datagram[] {
    return this.received.slice(from);
  }

  /** Resolves once `ready()` holds; it is re-checked after every datagram. */
  until(ready: () => boolean, ms: number, waitedFor: string): Promise<void> {
    return this.conditions.until(ready, ms, waitedFor);
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
