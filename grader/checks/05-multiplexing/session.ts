// What the checks of lesson 5's one server run share: the server and its first client (from
// "answers-a-line"), and the flooder and bystander of the backpressure checks. Each field is
// set by one check and read, through need(), by the checks after it.
import type { TcpPeer } from '../../net/tcp-peer.ts';
import type { RunningProgram } from '../../run/program.ts';
import type { CheckContext } from '../check.ts';
import { need } from '../lesson.ts';

import type { Flooder } from './flood.ts';

export const FILE = 'server.ts';

export interface Served {
  readonly server: RunningProgram;
  readonly port: number;
  /** The first client: it stays connected through the first three checks. */
  readonly first: TcpPeer;
}

export interface OneServer {
  /** Set by "answers-a-line". */
  served?: Served;
  /** Set by "respects-backpressure": the client that sends without reading. */
  flooder?: Flooder;
  /** Set by "respects-backpressure": a client connected before the flood, silent through it. */
  bystander?: TcpPeer;
}

export const servedBy = (session: OneServer): Served => need(session.served, 'the server started by "answers-a-line"');
export const flooderOf = (session: OneServer): Flooder => need(session.flooder, 'the flooder of "respects-backpressure"');

/** A new client of the running server. */
export function connectTo(context: CheckContext, served: Served, name: string): Promise<TcpPeer> {
  return context.connect(served.port, { name, program: served.server, deadlineMs: context.ms(5000) });
}

/** `count` seeded lines "<prefix><n>-<word>". */
export function seededLines(context: CheckContext, purpose: string, prefix: string, count: number): string[] {
  const random = context.random(purpose);
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}-${random.word(3, 8)}`);
}
