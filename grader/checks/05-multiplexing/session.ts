// What the checks of one run of lesson 5's server share: the server and its first client (from
// the scenario's first check), and the flooder and bystander of the backpressure checks. Each
// field is set by one check and read, through need(), by the checks after it.
import type { TcpPeer } from '../../net/tcp-peer.ts';
import type { CheckContext } from '../check.ts';
import { need } from '../lesson.ts';
import { served, servedOf, type ServedRun as Served, type ServerSession } from '../shared/served.ts';

import type { Flooder } from './flood.ts';

export type { Served };

export const FILE = 'server.ts';

export interface OneServer extends ServerSession {
  /** Set by "respects-backpressure": the client that sends without reading. */
  flooder?: Flooder;
  /** Set by "respects-backpressure": a client connected before the flood, silent through it. */
  bystander?: TcpPeer;
}

export { served as servedBy };

/** The scenario's server, started with a first client connected by the first check of the scenario. */
export const serverOf = (context: CheckContext, session: OneServer): Promise<Served> => servedOf(context, session, FILE);
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
