// A server scenario's session (lessons 3 and 8): one run of the server, which each check opens
// new connections to, and the first connection, which "listens" opened and keeps open.
import type { TcpPeer } from '../../net/tcp-peer.ts';
import type { RunningProgram } from '../../run/program.ts';
import type { CheckContext } from '../check.ts';
import { need, type ScenarioCheck } from '../lesson.ts';
import { startServerAndConnect } from './listening.ts';

export interface ServedRun {
  readonly server: RunningProgram;
  readonly port: number;
  /** The scenario's first connection ("listens" opens it), kept open by the checks after it. */
  readonly first: TcpPeer;
}

export interface ServerSession {
  /** Set by "listens", or by the first check of a later scenario with a run of its own. */
  served?: ServedRun;
}

export const served = (session: ServerSession): ServedRun => need(session.served, 'the server started by the first check of its scenario');

/**
 * The scenario's server, started with a first client connected if it is not running yet: by
 * "listens", or by the first check of a scenario that needs a run of its own (whether the server
 * listens at all is the first scenario's business: it runs first, and a failure there stops this one).
 */
export async function servedOf(context: CheckContext, session: ServerSession, file: string): Promise<ServedRun> {
  if (!session.served) {
    const { program: server, port, peer: first } = await startServerAndConnect(context, file);
    session.served = { server, port, first };
  }
  return session.served;
}

/** The scenario's first check: the server listens on HOST:PORT and accepts the first client. */
export function listensCheck(file: string): ScenarioCheck<ServerSession> {
  return {
    id: 'listens',
    title: 'listens on HOST:PORT and accepts a client',
    hint: 'Call server.listen(PORT, HOST) with both read from process.env (defaults 65432 and "127.0.0.1").',
    async run(context, session) {
      await servedOf(context, session, file);
    },
  };
}
