// A lossy link for UDP, played by the grader. Loopback almost never loses, duplicates or
// reorders a datagram, so a client's retransmission logic would go untested; this proxy
// sits between the learner's client and the grader's echo server and does all three.
//
// What happens to each datagram is a pure function of (seed, direction, index): the same
// seed gives the same plan, whatever the timing, and a failure can be replayed.
import dgram from 'node:dgram';
import net from 'node:net';
import { Random } from './random.ts';
import { ThreadedUdpSocket } from './threaded-udp-socket.ts';
import type { Transcript } from './transcript.ts';
import { describeDatagram, udpAddress } from './udp-peer.ts';

/** "up": client to server; "down": server back to the client. */
export type Direction = 'up' | 'down';

export interface LinkRates {
  /** Probability that a datagram is lost. */
  readonly drop: number;
  /** Probability that a datagram that is not lost arrives twice. */
  readonly duplicate: number;
  /** Each copy is held back a uniform 0..maxDelayMs: enough to reorder. */
  readonly maxDelayMs: number;
}

export const LOSSY: LinkRates = { drop: 0.25, duplicate: 0.1, maxDelayMs: 30 };

export interface Fate {
  readonly dropped: boolean;
  /** One delay per copy delivered: empty when dropped, two entries when duplicated. */
  readonly delaysMs: readonly number[];
}

/** The fate of the `index`-th datagram (0-based) travelling in `direction`. */
export function planDatagram(seed: number, direction: Direction, index: number, rates: LinkRates = LOSSY): Fate {
  const random = new Random(seed).fork(`${direction}#${index}`);
  // Every draw is made whatever the outcome, so changing one rate does not shift the others.
  const dropped = random.chance(rates.drop);
  const duplicated = random.chance(rates.duplicate);
  const delays = [random.int(0, rates.maxDelayMs), random.int(0, rates.maxDelayMs)];
  if (dropped) return { dropped: true, delaysMs: [] };
  return { dropped: false, delaysMs: duplicated ? delays : delays.slice(0, 1) };
}

export function describeFate(fate: Fate): string {
  if (fate.dropped) return 'dropped';
  if (fate.delaysMs.length > 1) return `duplicated, copies delayed ${fate.delaysMs.join(' and ')} ms`;
  return `delayed ${fate.delaysMs[0]} ms`;
}

export interface Arrival {
  readonly direction: Direction;
  readonly index: number;
  readonly data: Buffer;
  /** performance.now() when the proxy read it: from the client, on the front socket's own thread. */
  readonly at: number;
  readonly fate: Fate;
}

export interface ProxyOptions {
  /** Loopback address for every socket of the proxy. */
  readonly host: string;
  /** Port the client is told to use (PORT). */
  readonly port: number;
  /** Where the server is. */
  readonly target: { readonly address: string; readonly port: number };
  readonly seed: number;
  readonly rates?: LinkRates;
  /** The fates of particular datagrams, where the seeded draw must not decide (undefined: drawn). */
  readonly forced?: (direction: Direction, index: number) => Fate | undefined;
  readonly transcript: Transcript;
  readonly name?: string;
}

function bindSocket(host: string, port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port, address: host, exclusive: true }, () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
  });
}

/**
 * The client talks to the front socket on HOST:PORT. Each client address gets its own
 * back socket towards the server (like a NAT), so replies find their way home, and the
 * reply reaches the client from HOST:PORT, the address it sent to: a client that
 * connect()ed its socket still accepts it.
 */
export class UdpProxy {
  readonly counts: Record<Direction, number> = { up: 0, down: 0 };
  readonly arrivals: Arrival[] = [];
  private readonly backs = new Map<string, Promise<dgram.Socket>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly listeners: Array<(arrival: Arrival) => void> = [];
  private closed = false;
  readonly name: string;

  private constructor(
    private readonly front: ThreadedUdpSocket,
    private readonly options: ProxyOptions,
  ) {
    this.name = options.name ?? 'lossy-link';
    front.onMessage(({ data, from, at }) => void this.fromClient(data, from.address, from.port, at));
    front.onError((message) => this.note(`front socket error ${message}`));
  }

  /** The front socket is read on a thread of its own, so the client's tries are timed when they arrived. */
  static async open(options: ProxyOptions): Promise<UdpProxy> {
    return new UdpProxy(await ThreadedUdpSocket.open(options.host, options.port), options);
  }

  get port(): number {
    return this.front.port;
  }

  /** Runs for every datagram the proxy reads, in either direction, after it is recorded. */
  onArrival(listener: (arrival: Arrival) => void): void {
    this.listeners.push(listener);
  }

  /** Datagrams the client sent, in the order the proxy read them. */
  sentByClient(): Arrival[] {
    return this.arrivals.filter((arrival) => arrival.direction === 'up');
  }

  private note(text: string): void {
    this.options.transcript.note(this.name, text);
  }

  private arrive(direction: Direction, data: Buffer, at = performance.now()): Arrival {
    const index = this.counts[direction]++;
    const fate = this.options.forced?.(direction, index) ?? planDatagram(this.options.seed, direction, index, this.options.rates);
    const arrival: Arrival = { direction, index, data, at, fate };
    this.arrivals.push(arrival);
    const way = direction === 'up' ? 'client→server' : 'server→client';
    this.note(`${way} #${index + 1}: ${describeDatagram(data)} ${describeFate(fate)}`);
    for (const listener of this.listeners) listener(arrival);
    return arrival;
  }

  private deliver(fate: Fate, send: () => void): void {
    for (const delay of fate.delaysMs) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!this.closed) send();
      }, delay);
      this.timers.add(timer);
    }
  }

  private backFor(address: string, port: number): Promise<dgram.Socket> {
    const key = udpAddress(address, port);
    let back = this.backs.get(key);
    if (!back) {
      back = bindSocket(this.options.host, 0).then((socket) => {
        socket.on('message', (data) => {
          if (this.closed) return;
          const { fate } = this.arrive('down', data);
          this.deliver(fate, () => this.front.send(data, port, address));
        });
        socket.on('error', (error: NodeJS.ErrnoException) => this.note(`socket towards the server: error ${error.code ?? error.message}`));
        return socket;
      });
      this.backs.set(key, back);
    }
    return back;
  }

  private async fromClient(data: Buffer, address: string, port: number, at: number): Promise<void> {
    if (this.closed) return;
    const { fate } = this.arrive('up', data, at);
    // A socket closed by close() while this waited is simply not used.
    const back = await this.backFor(address, port).catch(() => undefined);
    const { target } = this.options;
    if (back) this.deliver(fate, () => back.send(data, target.port, target.address, () => {}));
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    return Promise.all([
      this.front.close(),
      ...[...this.backs.values()].map((pending) =>
        pending.then(
          (socket) => new Promise<void>((resolve) => {
            try {
              socket.close(() => resolve());
            } catch {
              resolve(); // already closed
            }
          }),
          () => undefined,
        ),
      ),
    ]).then(() => undefined);
  }
}
