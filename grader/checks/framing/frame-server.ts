// The framing server the grader plays for the client checks: it answers every frame at
// once with the reversed payload, and ends a connection after its replies once the client ends.
// It reads with a FrameReader (linear, at most one frame buffered), keeps the payloads out of
// the grading run's allowance, and stops reading while its replies queue up unread.
import type { TcpPeer } from '../../net/tcp-peer.ts';
import { MiB } from '../../net/byte-window.ts';
import { encodeFrame, FrameReader, reversed } from './frames.ts';

/** Replies queued in the grader beyond this stop it reading the client: no legitimate reply comes near. */
const SEND_QUEUE_HIGH = 4 * MiB;

export interface FrameServerConnection {
  readonly peer: TcpPeer;
  /** Payloads of the frames the client sent, in order (as many as the run's allowance keeps). */
  readonly frames: Buffer[];
  /** Frames the client sent, kept or not. */
  readonly framesRead: number;
  /** Bytes after the last whole frame (WindowExceededError if a frame outgrew the reader). */
  readonly pending: Buffer;
  repliesSent: number;
}

/** Answers frames on `peer` as they arrive; resolves once the connection is over. */
export function serveFrames(peer: TcpPeer, reply: (payload: Buffer) => Buffer = reversed): FrameServerConnection {
  const reader = new FrameReader(undefined, peer.budget);
  const frames: Buffer[] = [];
  let keeping = true;
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
  };
  peer.socket.on('data', (chunk: Buffer) => {
    for (const payload of reader.push(chunk)) {
      // Kept in order while the allowance lasts: frames[] stays a prefix of what was sent.
      keeping &&= !peer.budget || peer.budget.take(payload.length);
      if (keeping) frames.push(Buffer.from(payload));
      connection.repliesSent++;
      void peer.send(encodeFrame(reply(payload)));
    }
    if (peer.socket.writableLength > SEND_QUEUE_HIGH && !peer.socket.isPaused()) {
      peer.socket.pause();
      peer.socket.once('drain', () => peer.socket.resume());
    }
  });
  // Like the lesson's server: FIN after the replies, once the client has sent its own.
  peer.socket.on('end', () => {
    if (!peer.socket.destroyed) peer.end();
  });
  return connection;
}
