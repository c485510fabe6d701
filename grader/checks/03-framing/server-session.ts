// The session of lesson 3's server scenario: one run of server.ts, which every check opens
// new connections to, and the first connection, which "listens" opened.
import type { TcpPeer } from '../../net/tcp-peer.ts';
import { DeadlineError } from '../../run/deadline.ts';
import type { RunningProgram } from '../../run/program.ts';
import { fail, type CheckContext, type Diagnosis } from '../check.ts';
import { SERVER } from './server-traffic.ts';

import type { ServedRun } from '../shared/served.ts';
export { served, servedOf, type ServedRun, type ServerSession } from '../shared/served.ts';

/** A new connection to the running server; `refused` names the mistake if it no longer accepts. */
export async function newConnection(context: CheckContext, run: ServedRun, name: string, refused: Diagnosis): Promise<TcpPeer> {
  try {
    return await context.connect(run.port, { name, program: run.server, deadlineMs: context.ms(3000) });
  } catch (error) {
    if (!(error instanceof DeadlineError)) throw error;
    fail(`${SERVER} no longer accepts connections on port ${run.port}`, { expected: 'a new connection accepted', actual: 'connection refused', diagnosis: refused });
  }
}
