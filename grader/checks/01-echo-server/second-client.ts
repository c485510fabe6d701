// A second client, tried while the first is still connected. A one-client server has closed
// its listening socket by then, so the kernel refuses the connect; anything else is observed
// and reported as what it was: served, accepted then closed, or left waiting.
import net from 'node:net';
import { TcpPeer } from '../../net/tcp-peer.ts';
import { afterReading, sleep } from '../../run/deadline.ts';
import type { CheckContext } from '../check.ts';
import { hostPort } from '../shared/listening.ts';

const NAME = 'second-client';
const PROBE = Buffer.from('a second client\n');

export type SecondClient =
  /** The connect failed: ECONNREFUSED (nothing listens), or no answer at all. */
  | { readonly outcome: 'refused'; readonly code: string }
  /** It connected; what the server did with it in the time given. */
  | { readonly outcome: 'echoed' | 'closed' | 'waiting'; readonly echoedBytes: number };

function connectOnce(context: CheckContext, port: number): Promise<net.Socket | string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: context.host, port });
    const timer = afterReading(context.ms(2000), () => {
      socket.destroy();
      resolve('no answer');
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code ?? error.message);
    });
  });
}

/** One attempt: connect, send a line, and see whether anything comes back. */
async function attempt(context: CheckContext, port: number): Promise<SecondClient> {
  context.transcript.note(NAME, `connecting to ${hostPort(context.host, port)} while client-1 is still connected`);
  const connected = await connectOnce(context, port);
  if (typeof connected === 'string') {
    context.transcript.note(NAME, `connect failed: ${connected}`);
    return { outcome: 'refused', code: connected };
  }
  const peer = new TcpPeer(connected, NAME, context.transcript);
  context.onCleanup(() => peer.destroy());
  await peer.send(PROBE);
  await peer
    .until(() => peer.receivedBytes > 0 || peer.gotEnd || peer.closed, context.ms(1500), 'an answer to the second client')
    .catch(() => undefined);
  const outcome = peer.receivedBytes > 0 ? 'echoed' : peer.gotEnd || peer.closed ? 'closed' : 'waiting';
  peer.destroy();
  return { outcome, echoedBytes: peer.receivedBytes };
}

/**
 * A server that closes its listener a moment after accepting may reset a connect that reached
 * its backlog in between; so a connection closed unanswered is tried once more, and only a
 * second one that also connects counts.
 */
export async function trySecondClient(context: CheckContext, port: number): Promise<SecondClient> {
  const first = await attempt(context, port);
  if (first.outcome !== 'closed') return first;
  await sleep(context.ms(100));
  return attempt(context, port);
}
