// The framing server the grader plays for the client checks: it answers every frame with the
// reversed payload (or what the check's script says), in order, and ends a connection after its
// replies once the client ends. A script can hold one reply back for a while, or end the
// connection early, so a check sees what the client does with a slow or truncated conversation.
// It reads with a FrameReader (linear, at most one frame buffered), keeps the payloads out of
// the grading run's allowance, and stops reading while its replies queue up unread.
import type { TcpPeer } from '../../net/tcp-peer.ts';
import { MiB } from '../../net/byte-window.ts';
import { sleep } from '../../run/deadline.ts';
import { encodeFrame, FrameReader, reversed } from './frames.ts';

/** Replies queued in the grader beyond this stop it reading the client: no legitimate reply comes near. */
const SEND_QUEUE_HIGH = 4 * MiB;

export interface FrameScript {
  /** The bytes that answer frame `index` (0-based): one whole frame unless the check truncates. */
  readonly reply?: (payload: Buffer, index: number) => Buffer;
  /** The reply to frame `index` is sent `ms` after that frame arrived; later replies wait behind it. */
  readonly hold?: { readonly index: number; readonly ms: number };
  /** Once the reply to frame `index` is sent, the grader ends the connection without waiting for the client. */
  readonly endAfter?: number;
}

export interface FrameServerConnection {
  readonly peer: TcpPeer;
  /** Payloads of the frames the client sent, in order (as many as the run's allowance keeps). */
  readonly frames: Buffer[];
  /** Frames the client sent, kept or not. */
  readonly framesRead: number;
  /** Bytes after the last whole frame (WindowExceededError if a frame outgrew the reader). */
  readonly pending: Buffer;
  repliesSent: number;
  /** When the held reply went out (Date.now()), if it did. */
  heldSentAt?: number;
  /** True while the held reply waits in the grader: a silence then is the grader's own. */
  holdingReply: boolean;
  /** When the client's FIN arrived, if it did. */
  clientEndedAt?: number;
}

interface Outgoing {
  readonly wire: Buffer;
  readonly due: number;
  readonly held: boolean;
  readonly thenEnd: boolean;
}

const defaultReply = (payload: Buffer) => encodeFrame(reversed(payload));

/** Answers frames on `peer` as they arrive, as `script` says. */
export function serveFrames(peer: TcpPeer, script: FrameScript = {}): FrameServerConnection {
  const reader = new FrameReader(undefined, peer.budget);
  const reply = script.reply ?? defaultReply;
  const frames: Buffer[] = [];
  const backlog: Outgoing[] = [];
  let keeping = true;
  let pumping = false;
  let answered = 0;
  const connection: FrameServerConnection = {
    peer,
    frames,
    get framesRead() {
      return reader.frames;
    },
    get pending() {
      return reader.pending();
    },
    repliesSent: 0,
    holdingReply: false,
  };
  const endOurSide = () => {
    if (!peer.socket.destroyed && !peer.socket.writableEnded) peer.end();
  };
  /** Sends the backlog in order; synchronous unless a reply is held. */
  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    while (backlog.length > 0) {
      const next = backlog[0]!;
      const wait = next.due - Date.now();
      if (wait > 0) await sleep(wait);
      backlog.shift();
      if (next.held) connection.holdingReply = false;
      if (peer.socket.destroyed || peer.socket.writableEnded) continue;
      if (next.held) connection.heldSentAt = Date.now();
      connection.repliesSent++;
      void peer.send(next.wire);
      if (next.thenEnd) endOurSide();
    }
    pumping = false;
    if (connection.clientEndedAt !== undefined) endOurSide();
  }
  peer.socket.on('data', (chunk: Buffer) => {
    for (const payload of reader.push(chunk)) {
      const index = answered++;
      // Kept in order while the allowance lasts: frames[] stays a prefix of what was sent.
      keeping &&= !peer.budget || peer.budget.take(payload.length);
      if (keeping) frames.push(Buffer.from(payload));
      const held = script.hold?.index === index;
      if (held) connection.holdingReply = true;
      backlog.push({ wire: reply(payload, index), due: held ? Date.now() + script.hold!.ms : 0, held, thenEnd: script.endAfter === index });
    }
    void pump();
    if (peer.socket.writableLength > SEND_QUEUE_HIGH && !peer.socket.isPaused()) {
      peer.socket.pause();
      peer.socket.once('drain', () => peer.socket.resume());
    }
  });
  // Like the lesson's server: FIN after the replies, once the client has sent its own.
  peer.socket.on('end', () => {
    connection.clientEndedAt = Date.now();
    if (!pumping) endOurSide();
  });
  return connection;
}
