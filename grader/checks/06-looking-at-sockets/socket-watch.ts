// Lesson 6: how long the program's own sockets stay in a state, per the kernel's socket table.
// A thread of the grader reads /proc/net/tcp(6) every 40 ms while a run lasts (table-thread.ts).
// A socket seen at two looks existed at least from the first to the last, whatever the load: a
// look taken late can only make a time it proves shorter, never longer. So "held at least N ms"
// rests on what the kernel showed, not on when a line reached the grader through a pipe.
import { watchQuery, type WatchedState } from './proc-tcp.ts';
import { TableWatch, type TableLook } from './table-thread.ts';
import type { CheckContext } from '../check.ts';

/** One of the program's sockets: the first and last look that found it, and the last look before that did not. */
export interface Sighting {
  readonly local: string;
  readonly firstSeenAt: number;
  lastSeenAt: number;
  /** The last look before firstSeenAt, when it was not there yet (undefined: it was there at the first look). */
  readonly lastMissAt?: number;
  /** Seen half-closed by the program (end()) while it still held it. */
  halfClosed: boolean;
}

export class SocketWatch {
  readonly sightings = new Map<string, Sighting>();
  /** Whether a socket of the program was there at the last look. */
  private seenNow = false;

  private constructor(
    /** False where the kernel's table cannot be read: the watch then proves nothing. */
    readonly readable: boolean,
    /** The sockets there at the first look: the grader's own. */
    private readonly ignored: ReadonlySet<string>,
    private lastLookAt: number,
    private readonly looking?: TableWatch,
  ) {}

  /** Watches sockets in `state` whose peer is the context's host and `port`, except those there now (the grader's own). */
  static async start(context: CheckContext, port: number, state: WatchedState): Promise<SocketWatch> {
    let watch: SocketWatch | undefined;
    const early: TableLook[] = [];
    const { watch: looking, first } = await TableWatch.start(watchQuery(context.host, port, state), (look) => (watch ? watch.take(look) : early.push(look)));
    const readable = first.found !== undefined;
    watch = new SocketWatch(readable, new Set(first.found?.map(([local]) => local)), first.at, readable ? looking : undefined);
    context.onCleanup(() => looking.stop());
    if (!readable) await looking.stop();
    for (const look of early) watch.take(look);
    return watch;
  }

  /** Looks once more; resolves to whether any of the program's sockets is there now. */
  async lookNow(): Promise<boolean> {
    await this.looking?.lookNow();
    return this.seenNow;
  }

  /** A last look, then no more. */
  async stop(): Promise<void> {
    await this.looking?.stop();
  }

  private take(look: TableLook): void {
    if (look.found === undefined || look.at < this.lastLookAt) return;
    const before = this.lastLookAt;
    const locals = look.found.filter(([local]) => !this.ignored.has(local));
    for (const [local, halfClosed] of locals) {
      const known = this.sightings.get(local);
      if (known) {
        known.lastSeenAt = look.at;
        known.halfClosed ||= halfClosed;
      } else {
        this.sightings.set(local, { local, firstSeenAt: look.at, lastSeenAt: look.at, lastMissAt: before, halfClosed });
      }
    }
    this.lastLookAt = look.at;
    this.seenNow = locals.length > 0;
  }

  /** The first of the program's sockets seen, if any. */
  get first(): Sighting | undefined {
    return [...this.sightings.values()].sort((a, b) => a.firstSeenAt - b.firstSeenAt)[0];
  }

  /** Whether the program was seen holding one of its sockets half-closed (end() without destroy()). */
  get sawHalfClosed(): boolean {
    return [...this.sightings.values()].some((sighting) => sighting.halfClosed);
  }

  /** The longest time one of the program's sockets was proven to be in the state (0 if none was seen twice). */
  longestProvenMs(): number {
    return Math.max(0, ...[...this.sightings.values()].map((sighting) => sighting.lastSeenAt - sighting.firstSeenAt));
  }
}
