// The server the grader plays for lesson 8's client: it accepts client.ts, waits for one whole
// request, and answers it as a check says (whole, in pieces, or cut short).
import type { TcpPeer } from '../../net/tcp-peer.ts';
import { GraderServer } from '../../net/tcp-server.ts';
import type { RunningProgram } from '../../run/program.ts';
import { fail, type CheckContext, type StartOptions } from '../check.ts';
import { hostPort } from '../shared/listening.ts';
import { decodeStream, type Decoded, type StreamProblem } from './wire.ts';

export const CLIENT = 'client.ts';

export interface ClientRun {
  readonly client: RunningProgram;
  readonly peer: TcpPeer;
  /** The first message the client sent, or what kept it from being read. */
  readonly request: Decoded | undefined;
  readonly problem: StreamProblem | undefined;
  /** Everything the client sent until its request was whole. */
  readonly sent: Buffer;
}

/** Sends the reply, then ends the grader's side once the client has ended its own, as a server does (a client may half-close before its reply). */
export async function reply(context: CheckContext, run: ClientRun, bytes: Buffer): Promise<void> {
  await run.peer.send(bytes);
  void run.peer.untilEndOrClose(context.ms(30_000), `${CLIENT} to end the connection`).then(() => run.peer.end(), () => undefined);
}

/** Starts client.ts against a fresh grader server and waits for its request. */
export async function startClient(context: CheckContext, options: StartOptions): Promise<ClientRun> {
  const port = await context.freePort();
  const server = await GraderServer.listen(context.host, port, context.transcript, () => undefined);
  context.onCleanup(() => server.close());
  const client = context.start(CLIENT, { ...options, port });
  const peer = await server.accepted(1, context.ms(8000), client.exited);
  if (!peer) {
    fail(`${CLIENT} never connected to ${hostPort(context.host, port)}${client.exit ? ` (it exited with code ${client.exit.code})` : ''}`, {
      expected: `a connection to ${hostPort(context.host, port)} (HOST and PORT from the environment)`,
      actual: client.exit ? `${CLIENT} exited; stderr: ${client.stderr.text.trim().slice(0, 200)}` : 'no connection',
    });
  }
  const whole = () => {
    const { messages, problem } = decodeStream(peer.data());
    return messages.length > 0 || problem !== undefined || peer.gotEnd || peer.closed || !client.running;
  };
  await peer.until(whole, context.ms(5000), `a whole request from ${CLIENT}`).catch(() => undefined);
  const sent = peer.data();
  const { messages, problem } = decodeStream(sent);
  return { client, peer, request: messages[0], problem, sent };
}
