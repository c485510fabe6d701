// The server the grader plays for the client: it answers each byte as it arrives, in small
// pieces with pauses, and closes once the client has half-closed and everything is answered.
// A plan says how the answer differs from the bytes received (an echo, or not), and where it
// stops: a forced cut, then a pause, so a cut falls inside a character and a slow answer
// outlasts a client's fixed wait.
import { GraderServer } from '../../net/tcp-server.ts';
import type { TcpPeer } from '../../net/tcp-peer.ts';
import type { Transcript } from '../../net/transcript.ts';
import type { CheckContext } from '../check.ts';

export interface Stop {
  /** After this many bytes of the answer, the piece ends… */
  readonly at: number;
  /** …and the next one waits this long. */
  readonly ms: number;
}

export interface ReplyPlan {
  /** The answer to `bytes`, byte for byte: the same length, so a client may count it. */
  readonly answer: (bytes: Buffer) => Buffer;
  readonly pieceSize: () => number;
  readonly pauseMs: () => number;
  readonly stops: readonly Stop[];
}

export interface StopSeen extends Stop {
  readonly startedAt: number;
  endedAt?: number;
}

/** How far the answer got, so a check can tell "still answering" from "waiting on the client". */
export class ReplyProgress {
  answered = 0;
  /** When the last piece went out (or the connection was accepted). */
  lastSentAt = Date.now();
  /** The answer so far, in order: what the client could have received. */
  readonly sent: Buffer[] = [];
  /** Bytes answered after each piece. */
  readonly pieceEnds: number[] = [];
  readonly stops: StopSeen[] = [];
  finSent = false;

  get pausing(): boolean {
    return this.stops.some((stop) => stop.endedAt === undefined);
  }

  answer(): Buffer {
    return Buffer.concat(this.sent);
  }
}

async function answerSlowly(peer: TcpPeer, plan: ReplyPlan, progress: ReplyProgress, transcript: Transcript): Promise<void> {
  const stops = [...plan.stops].sort((a, b) => a.at - b.at);
  for (;;) {
    // The connection's own close (or the grader's cleanup) ends this wait well before 60 s.
    await peer.until(() => peer.receivedBytes > progress.answered || peer.gotEnd || peer.closed, 60_000, 'more bytes from the client');
    const data = peer.data();
    while (progress.answered < data.length && !peer.socket.destroyed) {
      const at = progress.answered;
      const stop = stops.find((candidate) => candidate.at === at);
      if (stop && !progress.stops.some((seen) => seen.at === at)) {
        const seen: StopSeen = { ...stop, startedAt: Date.now() };
        progress.stops.push(seen);
        if (stop.ms >= 500) transcript.note(peer.name, `pausing ${stop.ms} ms after ${at} bytes of the answer`);
        await peer.pause(stop.ms);
        seen.endedAt = Date.now();
      }
      const next = stops.find((candidate) => candidate.at > at);
      const end = Math.min(data.length, at + plan.pieceSize(), next?.at ?? Infinity);
      const piece = plan.answer(data.subarray(at, end));
      progress.sent.push(piece);
      progress.answered = end;
      progress.pieceEnds.push(end);
      progress.lastSentAt = Date.now();
      await peer.send(piece);
      await peer.pause(plan.pauseMs());
    }
    if (peer.closed || peer.socket.destroyed) return;
    if (peer.gotEnd && progress.answered >= peer.receivedBytes) {
      peer.end();
      progress.finSent = true;
      return;
    }
  }
}

export interface PlayedServer {
  readonly server: GraderServer;
  readonly port: number;
  readonly progress: ReplyProgress;
  /** Settles once the first connection's answer is over (closed by either side). */
  readonly done: Promise<void>;
}

/** Listens on HOST and a fresh port; answers the first connection by `plan` (others are only logged). */
export async function playServer(context: CheckContext, plan: ReplyPlan): Promise<PlayedServer> {
  const port = await context.freePort();
  const progress = new ReplyProgress();
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  let accepted = 0;
  const server = await GraderServer.listen(context.host, port, context.transcript, (peer) => {
    if (++accepted > 1) return;
    progress.lastSentAt = Date.now();
    void answerSlowly(peer, plan, progress, context.transcript).catch(() => {}).finally(finished);
  });
  context.onCleanup(() => server.close());
  return { server, port, progress, done };
}
