// What the checks of one run of lesson 5's server share: the server and its first client (from
// the scenario's first check), and the flooder and bystander of the backpressure checks. Each
// field is set by one check and read, through need(), by the checks after it.
import type { TcpPeer } from '../../net/tcp-peer.ts';
import type { RunningProgram } from '../../run/program.ts';
import type { CheckContext } from '../check.ts';
import { need } from '../lesson.ts';
import { startServerAndConnect } from '../shared/listening.ts';

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

export const servedBy = (session: OneServer): Served => need(session.served, 'the server started by the first check of its scenario');

/**
 * The scenario's server: started, with a first client connected, by the first check of a
 * scenario that needs a fresh run of it (whether "answers-a-line" passed is another scenario's
 * business: that scenario runs first, and a failure there stops this one).
 */
export async function serverOf(context: CheckContext, session: OneServer): Promise<Served> {
  if (session.served) return session.served;
  const { program: server, port, peer: first } = await startServerAndConnect(context, FILE);
  session.served = { server, port, first };
  return session.served;
}
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
