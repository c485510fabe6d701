// Lesson 6: the servers the grader plays on the ports a program is to report open, and the proof
// that an "open" came from a real connection: each server counts the connections it accepts.
import { GraderServer } from '../../net/tcp-server.ts';
import { formatDuration } from '../../run/deadline.ts';
import { fail, type CheckContext } from '../check.ts';
import { hostPort } from '../shared/listening.ts';
import { ACCEPT_MS } from './contract.ts';
import { diagnoses } from './diagnoses.ts';
import { FILE, FILE_ARGS, type Run } from './run.ts';

/**
 * A server the grader plays. "greeting" says hello, as SSH or SMTP servers do, and ends
 * when the client ends; "silent" accepts and then never writes nor ends anything.
 */
const greetedAt = new WeakMap<GraderServer, number>();

/** When the server last sent its greeting (Date.now()), if it has. */
export const lastGreetingAt = (server: GraderServer): number | undefined => greetedAt.get(server);

export async function openPort(context: CheckContext, port: number, behaviour: 'greeting' | 'silent'): Promise<GraderServer> {
  const server: GraderServer = await GraderServer.listen(context.host, port, context.transcript, (peer) => {
    if (behaviour === 'silent') return;
    void peer.send('220 grader ready\r\n').then(() => greetedAt.set(server, Date.now()));
    peer.socket.on('end', () => peer.end());
  });
  context.onCleanup(() => server.close());
  return server;
}

/** A port the program is to report open, the grader's server on it, and how many connections it had accepted before the run (taken before starting it). */
export interface OpenClaim {
  readonly port: number;
  readonly server: GraderServer;
  readonly acceptedBefore: number;
}

export function claim(port: number, server: GraderServer): OpenClaim {
  return { port, server, acceptedBefore: server.peers.length };
}

/** Fails unless the grader's server on every port reported open accepted a connection during the run. */
export async function expectConnected(context: CheckContext, run: Run, claims: readonly OpenClaim[]): Promise<void> {
  // "open" is printed once the handshake is done, so the connection is already in the server's
  // accept queue; the grader's own event loop may just not have taken it yet.
  const end = Date.now() + context.ms(ACCEPT_MS);
  for (const { port, server, acceptedBefore } of claims) {
    if (await server.accepted(acceptedBefore + 1, Math.max(0, end - Date.now()))) continue;
    const where = hostPort(context.host, port);
    context.transcript.note('grader', `${where}: no connection accepted during this run of ${FILE}`);
    fail(`${FILE} ${FILE_ARGS(run).slice(0, 60)} reported port ${port} open, but the grader's server on ${where} saw no connection from it`, {
      expected: `a connection accepted by the grader's server on ${where}, then "${port} open"`,
      actual: `"${port} open" printed; the server accepted no connection in ${formatDuration(context.ms(ACCEPT_MS))}`,
      diagnosis: diagnoses['reads-kernel-table'],
    });
  }
}
