// Lesson 6: what to look for in the kernel's socket table to find the sockets in a state whose
// peer is a given host:port (looked for on a thread: table-thread.ts).
import net from 'node:net';
import { procEndpoint } from '../../net/proc-net-tcp.ts';
import type { TableQuery } from './table-thread.ts';

/**
 * /proc/net/tcp's codes for each state a watch may look for. HELD is a connection the process
 * still has open: established, or half-closed by end() (FIN-WAIT-1/2, CLOSE-WAIT). After
 * destroy() the kernel may keep a FIN-WAIT-2 of its own a while, but that socket has inode 0.
 */
const STATE_CODES = { ESTABLISHED: ['01'], 'SYN-SENT': ['02'], HELD: ['01', '04', '05', '08'] } as const;
export type WatchedState = keyof typeof STATE_CODES;

/** Half-closed by this end (end()): FIN-WAIT-1 and FIN-WAIT-2. */
const HALF_CLOSED = ['04', '05'];

/** What a watch of the sockets in `state` whose peer is host:port looks for in the table. */
export function watchQuery(host: string, port: number, state: WatchedState): TableQuery {
  return { ipv6: net.isIPv6(host), remote: procEndpoint(host, port), states: STATE_CODES[state], halfClosed: HALF_CLOSED, heldOnly: state === 'HELD' };
}
