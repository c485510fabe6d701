// Every choice one `npm run observe` run makes comes from its seed, so `--seed N` repeats it.
import { pickLoopbackHost } from '../context.ts';
import { Random } from '../net/random.ts';

export type Side = 'client' | 'server';

export interface ObservePlan {
  readonly seed: number;
  /** Some 127.x.y.z on Linux, like the grader's HOST. */
  readonly host: string;
  /** The listen() backlog of the listener that never accepts. */
  readonly backlog: number;
  /** Clients sent to that listener beyond what its queue holds. */
  readonly extraClients: number;
  /** Which side closes first, so its socket is the one left in TIME-WAIT. */
  readonly closesFirst: Side;
  /** Which side of the stalled connection writes (the other never reads). */
  readonly writer: Side;
  /**
   * How much the writer writes in one go: at least 640 KiB, so that its Send-Q (what the reader's
   * buffer of about 128 KiB could not take) is never near the reader's Recv-Q, the answer a
   * learner who reads the wrong row gives.
   */
  readonly stalledBytes: number;
}

export function planObservation(seed: number): ObservePlan {
  const random = new Random(seed);
  return {
    seed,
    host: pickLoopbackHost(random.fork('host')),
    backlog: random.fork('backlog').int(1, 4),
    extraClients: random.fork('extra-clients').int(2, 3),
    closesFirst: random.fork('closes-first').pick(['client', 'server'] as const),
    writer: random.fork('writer').pick(['client', 'server'] as const),
    stalledBytes: random.fork('stalled-bytes').int(640, 2048) * 1024,
  };
}
