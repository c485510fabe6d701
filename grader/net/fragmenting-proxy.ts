// A TCP proxy the grader puts between a learner's program and its peer. It relays both
// directions unchanged, but re-cuts each into writes by a seeded plan (fragment-plan.ts),
// with short pauses so pieces arrive as separate reads. FIN and resets are passed on in
// order after the data; backpressure is respected both ways.
import net from 'node:net';
import { planPiece, type Direction, type Profile } from './fragment-plan.ts';
import type { Transcript } from './transcript.ts';

export type { Direction, Profile } from './fragment-plan.ts';

export interface FragmentingProxyOptions {
  /** Where the proxy listens: the address and port the learner's program (or the grader) connects to. */
  readonly host: string;
  readonly port: number;
  /** Where each accepted connection is relayed. */
  readonly targetHost: string;
  readonly targetPort: number;
  readonly seed: number;
  /** One profile for both directions, or one per direction (up: towards the target). */
  readonly profile: Profile | { readonly up: Profile; readonly down: Profile };
  readonly transcript?: Transcript;
  /** Actor name in the transcript. */
  readonly name?: string;
  /** A partial piece is written once its input has been idle this long. */
  readonly idleFlushMs?: number;
}

/** What the proxy did to one direction of one connection. */
export interface DirectionStats {
  readonly connection: number;
  readonly direction: Direction;
  bytes: number;
  pieces: number;
  smallest: number;
  largest: number;
  /** The sizes of the first pieces, for tests and for the transcript. */
  readonly firstSizes: number[];
  /** Writes cut short because the input stalled (idle flushes): the only cuts the seed does not fix. */
  stallCuts: number;
  ended: boolean;
}

const QUEUE_HIGH = 512 * 1024;
const QUEUE_LOW = 128 * 1024;
const FIRST_SIZES_KEPT = 64;

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  return `${n} byte${n === 1 ? '' : 's'}`;
}

/** One direction of one connection: reads `from`, writes `to` piece by piece. */
class Relay {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private sourceEnded = false;
  private stopped = false;
  private held = false;
  private pausedForQueue = false;
  /** The pump has stopped: input is only counted (the source is paused as before), never held. */
  private finished = false;
  private lastInputAt = Date.now();
  /** Where the planned piece being written ends, and the pause after it. */
  private pieceEnd = 0;
  private pieceDelayMs = 0;
  private wake: (() => void) | undefined;
  readonly stats: DirectionStats;

  constructor(
    private readonly from: net.Socket,
    private readonly to: net.Socket,
    private readonly plan: (offset: number) => { size: number; delayMs: number },
    private readonly idleFlushMs: number,
    connection: number,
    direction: Direction,
    private readonly onEnded: (stats: DirectionStats) => void,
  ) {
    this.stats = { connection, direction, bytes: 0, pieces: 0, smallest: Infinity, largest: 0, firstSizes: [], ended: false, stallCuts: 0 };
    from.on('data', (chunk: Buffer) => {
      if (!this.finished) this.queue.push(chunk);
      this.queued += chunk.length;
      this.lastInputAt = Date.now();
      if (this.queued >= QUEUE_HIGH && !this.pausedForQueue) {
        this.pausedForQueue = true;
        from.pause();
      }
      this.poke();
    });
    from.on('end', () => {
      this.sourceEnded = true;
      this.poke();
    });
    void this.pump();
  }

  hold(): void {
    this.held = true;
    this.from.pause();
  }

  release(): void {
    this.held = false;
    if (!this.pausedForQueue) this.from.resume();
  }

  stop(): void {
    this.stopped = true;
    this.poke();
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Resolves on the next input, end or stop, or after `ms`. */
  private waitForInput(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private take(n: number): Buffer {
    const parts: Buffer[] = [];
    let need = n;
    while (need > 0) {
      const head = this.queue[0]!;
      if (head.length <= need) {
        parts.push(head);
        this.queue.shift();
        need -= head.length;
      } else {
        parts.push(head.subarray(0, need));
        this.queue[0] = head.subarray(need);
        need = 0;
      }
    }
    this.queued -= n;
    if (this.pausedForQueue && this.queued <= QUEUE_LOW) {
      this.pausedForQueue = false;
      if (!this.held) this.from.resume();
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  private record(size: number): void {
    const stats = this.stats;
    stats.bytes += size;
    stats.pieces++;
    stats.smallest = Math.min(stats.smallest, size);
    stats.largest = Math.max(stats.largest, size);
    if (stats.firstSizes.length < FIRST_SIZES_KEPT) stats.firstSizes.push(size);
  }

  private async pump(): Promise<void> {
    try {
      await this.relayUntilDone();
    } finally {
      // Nothing will be written any more: let go of what is queued. The count stays, so the
      // source pauses at QUEUE_HIGH exactly as if the bytes were still held.
      this.finished = true;
      this.queue.length = 0;
    }
  }

  private async relayUntilDone(): Promise<void> {
    while (!this.stopped) {
      if (this.queued === 0) {
        if (this.sourceEnded) {
          // FIN after the last byte, as the source sent it.
          this.stats.ended = true;
          if (!this.to.destroyed) this.to.end();
          this.onEnded(this.stats);
          return;
        }
        await this.waitForInput(60_000);
        continue;
      }
      // The plan fixes every cut by stream offset: a piece cut short by a stall is finished by
      // the next write, never re-planned, so a seed gives the same cuts whatever the timing.
      if (this.pieceEnd <= this.stats.bytes) {
        const piece = this.plan(this.stats.bytes);
        this.pieceEnd = this.stats.bytes + piece.size;
        this.pieceDelayMs = piece.delayMs;
      }
      const want = this.pieceEnd - this.stats.bytes;
      if (this.queued < want && !this.sourceEnded) {
        const idleFor = Date.now() - this.lastInputAt;
        if (idleFor < this.idleFlushMs) {
          await this.waitForInput(this.idleFlushMs - idleFor);
          continue;
        }
      }
      const data = this.take(Math.min(want, this.queued));
      this.record(data.length);
      const complete = this.stats.bytes === this.pieceEnd;
      if (!complete && !this.sourceEnded) this.stats.stallCuts++;
      if (this.to.destroyed) return;
      if (!this.to.write(data)) await this.drained();
      if (complete && this.pieceDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.pieceDelayMs));
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.to.off('drain', done);
        this.to.off('close', done);
        resolve();
      };
      this.to.on('drain', done);
      this.to.on('close', done);
    });
  }
}

interface ProxiedConnection {
  readonly index: number;
  readonly client: net.Socket;
  readonly target: net.Socket;
  readonly relays: Relay[];
}

export class FragmentingProxy {
  private readonly server: net.Server;
  private readonly connections: ProxiedConnection[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly heldDirections = new Set<Direction>();
  private readonly name: string;
  private closing: Promise<void> | undefined;
  private listening = false;
  /** Every direction of every connection, in the order they were opened. */
  readonly stats: DirectionStats[] = [];
  accepted = 0;

  /** Bytes passed on so far, every direction of every connection: grows while either side works. */
  get bytesPassed(): number {
    return this.stats.reduce((sum, stats) => sum + stats.bytes, 0);
  }

  constructor(private readonly options: FragmentingProxyOptions) {
    this.name = options.name ?? 'proxy';
    this.server = net.createServer({ allowHalfOpen: true }, (client) => this.relay(client));
    this.server.on('error', () => {});
  }

  get port(): number {
    return this.options.port;
  }

  /** Starts listening on host:port. */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: this.options.host, port: this.options.port, exclusive: true }, () => {
        this.server.off('error', reject);
        this.listening = true;
        const { up, down } = this.profiles();
        const profile = up === down ? up : `${up} towards the target, ${down} back`;
        this.note(`listening on ${this.options.host}:${this.options.port}, relaying to ${this.options.targetHost}:${this.options.targetPort}, cutting writes by the "${profile}" plan`);
        resolve();
      });
    });
  }

  /** Stops reading in one direction (for every connection, now and later): the sender's buffers fill up. */
  hold(direction: Direction): void {
    this.heldDirections.add(direction);
    for (const connection of this.connections) connection.relays[direction === 'up' ? 0 : 1]!.hold();
    this.note(`stopped reading ${this.describe(direction)}`);
  }

  release(direction: Direction): void {
    if (!this.heldDirections.delete(direction)) return;
    for (const connection of this.connections) connection.relays[direction === 'up' ? 0 : 1]!.release();
    this.note(`reading ${this.describe(direction)} again`);
  }

  private profiles(): { up: Profile; down: Profile } {
    const { profile } = this.options;
    return typeof profile === 'string' ? { up: profile, down: profile } : profile;
  }

  private describe(direction: Direction): string {
    return direction === 'up' ? 'what goes to the target' : 'what the target sends back';
  }

  private note(text: string): void {
    this.options.transcript?.note(this.name, text);
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private relay(client: net.Socket): void {
    if (this.closing) {
      client.destroy();
      return;
    }
    const index = ++this.accepted;
    this.track(client);
    client.setNoDelay(true);
    const target = net.connect({ host: this.options.targetHost, port: this.options.targetPort, allowHalfOpen: true });
    this.track(target);
    target.setNoDelay(true);
    client.pause();

    const { seed } = this.options;
    const idle = this.options.idleFlushMs ?? 8;
    const profiles = this.profiles();
    const onEnded = (stats: DirectionStats) => this.summarise(stats, 'then passed on the FIN');
    const up = new Relay(client, target, (offset) => planPiece(seed, 'up', index, offset, profiles.up), idle, index, 'up', onEnded);
    const down = new Relay(target, client, (offset) => planPiece(seed, 'down', index, offset, profiles.down), idle, index, 'down', onEnded);
    const connection: ProxiedConnection = { index, client, target, relays: [up, down] };
    this.connections.push(connection);
    this.stats.push(up.stats, down.stats);
    if (this.heldDirections.has('up')) up.hold();
    if (this.heldDirections.has('down')) down.hold();

    target.once('connect', () => {
      if (!this.heldDirections.has('up')) client.resume();
    });
    // A reset or failure on one side becomes a reset on the other.
    const passOnReset = (from: net.Socket, to: net.Socket, side: string) => {
      from.on('error', (error: NodeJS.ErrnoException) => {
        this.note(`connection ${index}: ${side} failed (${error.code ?? error.message}); resetting the other side`);
        up.stop();
        down.stop();
        if (!to.destroyed) to.resetAndDestroy();
      });
      from.on('close', (hadError) => {
        if (hadError) return;
        // Closed without an error, but before its FIN was relayed: nothing more will come.
        const relay = from === client ? up : down;
        if (!relay.stats.ended && !to.destroyed && !from.readableEnded) {
          relay.stop();
          to.destroy();
        }
      });
    };
    passOnReset(client, target, 'the client side');
    passOnReset(target, client, `the target ${this.options.targetHost}:${this.options.targetPort}`);
  }

  private summarise(stats: DirectionStats, after: string): void {
    if (stats.bytes === 0) {
      this.note(`connection ${stats.connection}: nothing ${stats.direction === 'up' ? 'towards the target' : 'back'}, ${after}`);
      return;
    }
    const where = stats.direction === 'up' ? 'towards the target' : 'back';
    const range = stats.pieces > 1 ? `, smallest ${formatBytes(stats.smallest)}, largest ${formatBytes(stats.largest)}` : '';
    this.note(`connection ${stats.connection}: split ${formatBytes(stats.bytes)} ${where} into ${stats.pieces} write${stats.pieces === 1 ? '' : 's'}${range}, ${after}`);
  }

  /** Closes the listening socket and every relayed connection; safe to call twice. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const connection of this.connections) for (const relay of connection.relays) relay.stop();
      for (const stats of this.stats) if (!stats.ended && stats.bytes > 0) this.summarise(stats, 'when the proxy closed');
      for (const socket of this.sockets) socket.destroy();
      if (!this.listening) return resolve();
      this.server.close(() => resolve());
    });
    return this.closing;
  }
}
