// The framing server the grader plays for the client checks: it answers every frame at
// once with the reversed payload, and ends a connection after its replies once the client ends.
import type { TcpPeer } from '../../net/tcp-peer.ts';
import { decodeFrames, encodeFrame, reversed } from './frames.ts';

export interface FrameServerConnection {
  readonly peer: TcpPeer;
  /** Payloads of the frames the client sent, in order. */
  readonly frames: Buffer[];
  /** Bytes after the last whole frame. */
  pending: Buffer;
  repliesSent: number;
}

/** Answers frames on `peer` as they arrive; resolves once the connection is over. */
export function serveFrames(peer: TcpPeer, reply: (payload: Buffer) => Buffer = reversed): FrameServerConnection {
  const connection: FrameServerConnection = { peer, frames: [], pending: Buffer.alloc(0), repliesSent: 0 };
  peer.socket.on('data', (chunk: Buffer) => {
    const { frames, rest } = decodeFrames(connection.pending.length ? Buffer.concat([connection.pending, chunk]) : chunk);
    connection.pending = Buffer.from(rest);
    for (const payload of frames) {
      connection.frames.push(Buffer.from(payload));
      connection.repliesSent++;
      void peer.send(encodeFrame(reply(payload)));
    }
  });
  // Like the lesson's server: FIN after the replies, once the client has sent its own.
  peer.socket.on('end', () => {
    if (!peer.socket.destroyed) peer.end();
  });
  return connection;
}
