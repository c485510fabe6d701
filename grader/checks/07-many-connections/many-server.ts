// The server the grader plays for lesson 7: it reads each connection's message up to the
// client's FIN, recognises which argument it is, and answers it as the scenario's plan says
// (an echo in seeded pieces, held back, reset half-way, cut short, never, or a byte at a time).
// It counts the connections in service at once, from accept to its own end of them.
import { GraderServer } from '../../net/tcp-server.ts';
import type { TcpPeer } from '../../net/tcp-peer.ts';
import type { Random } from '../../net/random.ts';
import { pollUntil, sleep } from '../../run/deadline.ts';
import type { CheckContext } from '../check.ts';

export type Answer =
  /** The echo, in pieces of random sizes (sometimes all of it in one write), then FIN. */
  | 'echo'
  /** The echo held back until every other message's connection is answered (or for `HOLD_MS`). */
  | 'hold'
  /** Half the echo, then a reset. */
  | 'reset'
  /** Half the echo, then FIN. */
  | 'short'
  /** Nothing, ever: the connection stays open until the client closes it. */
  | 'silent'
  /** The echo one byte every `TRICKLE_MS`: never idle long, but slower than the client's deadline. */
  | 'trickle'
  /** The echo after `WAIT_MS`, well inside the client's deadline. */
  | 'wait'
  /** The echo after `WAIT_LONG_MS`: inside the connection's own deadline, past a deadline counted from the client's start. */
  | 'wait-long'
  /** The echo `AFTER_SLOW_CONNECT_MS` after the accept, of a connect that took a second: past the deadline, inside 2 s of "connect". */
  | 'after-slow-connect';

/** Shorter than the client's 2 s deadline, with room for the held echo itself. */
export const HOLD_MS = 1600;
export const TRICKLE_MS = 300;
// #7 connects once the two held 1.2 s free their slots and is answered 1.2 s later: 0.8 s inside
// its own deadline (as the two are), 0.4 s past a deadline counted from the client's start. Each
// wait counts from the accept, and a loaded machine only makes the second margin larger: the first
// is the one that needs room.
export const WAIT_MS = 1200;
export const WAIT_LONG_MS = 1200;
/**
 * A connect whose first SYN was dropped completes 1 s after net.connect() (Linux sends it again
 * then): the echo 1.5 s later is 0.5 s past the deadline and 0.5 s inside 2 s of "connect".
 */
export const AFTER_SLOW_CONNECT_MS = 1500;
const WAITS: Partial<Record<Answer, number>> = { wait: WAIT_MS, 'wait-long': WAIT_LONG_MS, 'after-slow-connect': AFTER_SLOW_CONNECT_MS };

export interface Served {
  readonly peer: TcpPeer;
  readonly acceptedAt: number;
  /** The argument's index, once its bytes and FIN have come. */
  index?: number;
  /** When the bytes received first equalled a message. */
  messageAt?: number;
  finAt?: number;
  /** When the grader ended, reset or gave up on this connection: it is out of service. */
  doneAt?: number;
  /** For a held answer: what released it. */
  releasedBy?: 'others-answered' | 'time';
  releasedAt?: number;
  /** The whole echo and FIN were sent. */
  echoed: boolean;
  /** Bytes of the answer sent. */
  answered: number;
}

export interface ManyServer {
  readonly server: GraderServer;
  readonly port: number;
  readonly served: Served[];
  /** Connections in service at once, at most, and the accept that made it so. */
  readonly peak: { count: number; at: number };
}

function pieces(random: Random, length: number): number[] {
  if (length === 0) return [];
  // Coalesced: the whole echo in one write, now and then.
  if (random.chance(0.25)) return [length];
  const sizes: number[] = [];
  const largest = Math.max(1, Math.min(8192, Math.ceil(length / 4)));
  for (let sent = 0; sent < length; ) {
    const size = Math.min(length - sent, random.int(1, largest));
    sizes.push(size);
    sent += size;
  }
  return sizes;
}

async function sendInPieces(peer: TcpPeer, bytes: Buffer, random: Random, record: Served): Promise<void> {
  let at = 0;
  for (const size of pieces(random, bytes.length)) {
    if (peer.socket.destroyed) return;
    await peer.send(bytes.subarray(at, at + size));
    at += size;
    record.answered = at;
    await sleep(random.int(0, 3));
  }
}

/** Listens on HOST and a fresh port; answers message i by answers[i] (anything else is echoed). */
export async function playManyServer(context: CheckContext, purpose: string, messages: readonly string[], answers: readonly Answer[]): Promise<ManyServer> {
  const port = await context.freePort();
  const wanted = messages.map((message) => Buffer.from(message, 'utf8'));
  const served: Served[] = [];
  const peak = { count: 0, at: 0 };
  let inService = 0;
  const finish = (record: Served) => {
    if (record.doneAt !== undefined) return;
    record.doneAt = Date.now();
    inService--;
  };
  const othersAnswered = (index: number) =>
    messages.every((_, other) => other === index || served.some((record) => record.index === other && record.doneAt !== undefined));

  async function answer(record: Served): Promise<void> {
    const { peer } = record;
    await peer.until(
      () => {
        if (record.messageAt === undefined && wanted.some((bytes) => bytes.length === peer.receivedBytes && bytes.equals(peer.data()))) record.messageAt = Date.now();
        return peer.gotEnd || peer.closed;
      },
      60_000,
      'the client to send its message and half-close',
    );
    if (!peer.gotEnd) return;
    record.finAt = Date.now();
    const data = peer.data();
    const index = wanted.findIndex((bytes, i) => bytes.equals(data) && !served.some((other) => other.index === i));
    if (index >= 0) record.index = index;
    const kind = index >= 0 ? answers[index]! : 'echo';
    const random = context.random(`${purpose}-answer-${index}`);
    if (kind === 'silent') return;
    if (kind === 'hold') {
      // Other connections' events do not recheck this peer's conditions: poll, briefly.
      const left = Math.max(0, HOLD_MS - (Date.now() - record.acceptedAt));
      const released = await pollUntil(() => (othersAnswered(index) || peer.closed ? true : undefined), left, 'the other connections to be answered', { firstDelayMs: 2, maxDelayMs: 10 }).then(
        () => 'others-answered' as const,
        () => 'time' as const,
      );
      record.releasedBy = released;
      record.releasedAt = Date.now();
      context.transcript.note(peer.name, released === 'time' ? `answering the held message after ${HOLD_MS} ms: the other connections were not all answered` : 'answering the held message: every other connection is answered');
    }
    const waitMs = WAITS[kind];
    if (waitMs !== undefined) await peer.pause(Math.max(0, waitMs - (Date.now() - record.acceptedAt)));
    if (kind === 'reset' || kind === 'short') {
      const half = Math.floor(data.length / 2);
      await sendInPieces(peer, data.subarray(0, half), random, record);
      await sleep(20);
      finish(record);
      if (kind === 'reset') peer.reset();
      else peer.end();
      return;
    }
    if (kind === 'trickle') {
      for (let at = 0; at < data.length && !peer.socket.destroyed; at++) {
        await peer.send(data.subarray(at, at + 1));
        record.answered = at + 1;
        await peer.pause(TRICKLE_MS);
      }
    } else {
      await sendInPieces(peer, data, random, record);
    }
    if (peer.socket.destroyed) return;
    record.echoed = record.answered === data.length;
    finish(record);
    peer.end();
  }

  const server = await GraderServer.listen(context.host, port, context.transcript, (peer) => {
    const record: Served = { peer, acceptedAt: Date.now(), echoed: false, answered: 0 };
    served.push(record);
    inService++;
    if (inService > peak.count) Object.assign(peak, { count: inService, at: record.acceptedAt });
    peer.socket.once('close', () => finish(record));
    // The connection's close (or the grader's cleanup) ends every wait in answer().
    void answer(record).catch(() => {});
  });
  context.onCleanup(() => server.close());
  return { server, port, served, peak };
}
