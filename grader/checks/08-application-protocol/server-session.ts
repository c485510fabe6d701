// The session of lesson 8's server scenario: one run of server.ts, which each check opens new
// connections to, and the first connection, which "listens" opened.
import type { TcpPeer } from '../../net/tcp-peer.ts';
import { DeadlineError, sleep } from '../../run/deadline.ts';
import type { RunningProgram } from '../../run/program.ts';
import { fail, type CheckContext } from '../check.ts';
import { diagnoses } from './diagnoses.ts';

export const SERVER = 'server.ts';

import type { ServedRun } from '../shared/served.ts';
export { served, type ServedRun, type ServerSession } from '../shared/served.ts';

export async function newConnection(context: CheckContext, run: ServedRun, name: string): Promise<TcpPeer> {
  try {
    return await context.connect(run.port, { name, program: run.server, deadlineMs: context.ms(3000) });
  } catch (error) {
    if (!(error instanceof DeadlineError)) throw error;
    const running = run.server.running;
    fail(`${SERVER} no longer accepts connections on port ${run.port}`, {
      expected: 'a new connection accepted',
      actual: running ? 'connection refused, though the server still runs' : 'the server has exited',
      diagnosis: running ? diagnoses['stops-accepting'] : undefined,
    });
  }
}

/** Sends `wire` cut at `cuts` (offsets), pausing between the pieces so each is a read of its own. */
export async function sendInPieces(peer: TcpPeer, wire: Buffer, cuts: readonly number[], pauseMs: number): Promise<void> {
  let from = 0;
  for (const cut of [...cuts, wire.length]) {
    if (cut <= from) continue;
    await peer.send(wire.subarray(from, cut));
    from = cut;
    if (from < wire.length) await sleep(pauseMs);
  }
}
