// Lesson 6: how long the program's own sockets stay in a state, per the kernel's socket table.
// The grader reads /proc/net/tcp(6) on a timer while a run lasts. A socket seen at two looks
// existed at least from the first to the last, whatever the load: a slow grader looks less
// often, which can only make a time it proves shorter, never longer. So "held at least N ms"
// rests on what the kernel showed, not on when a line reached the grader through a pipe.
import { socketsTo, type WatchedState } from './proc-tcp.ts';
import type { CheckContext } from '../check.ts';

// Each look makes the kernel walk its whole TCP table (milliseconds of CPU, whatever the socket
// count); 40 ms apart still times a 2 s timeout to within 2%.
const LOOK_MS = 40;

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
  /** False where the kernel's table cannot be read: the watch then proves nothing. */
  readonly readable: boolean;
  private readonly ignored: ReadonlySet<string>;
  private lastLookAt?: number;
  private timer?: NodeJS.Timeout;

  /** Watches sockets in `state` whose peer is host:port, except those there now (the grader's own). */
  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly state: WatchedState,
  ) {
    const now = socketsTo(host, port, state);
    this.readable = now !== undefined;
    this.ignored = new Set(now?.sockets.keys() ?? []);
    this.lastLookAt = now?.at ?? Date.now();
  }

  static start(context: CheckContext, port: number, state: WatchedState): SocketWatch {
    const watch = new SocketWatch(context.host, port, state);
    if (!watch.readable) return watch;
    watch.timer = setInterval(() => watch.look(), LOOK_MS);
    context.onCleanup(() => watch.stop());
    return watch;
  }

  /** Looks once; returns whether any of the program's sockets is there now. */
  look(): boolean {
    if (!this.readable) return false;
    const before = this.lastLookAt;
    const look = socketsTo(this.host, this.port, this.state);
    const locals = [...(look?.sockets ?? [])].filter(([local]) => !this.ignored.has(local));
    // When the table was read, which may be a moment ago: another watch's read is shared.
    const now = look?.at ?? Date.now();
    for (const [local, { halfClosed }] of locals) {
      const known = this.sightings.get(local);
      if (known) {
        known.lastSeenAt = now;
        known.halfClosed ||= halfClosed;
      } else {
        this.sightings.set(local, { local, firstSeenAt: now, lastSeenAt: now, lastMissAt: before, halfClosed });
      }
    }
    this.lastLookAt = now;
    return locals.length > 0;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
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
