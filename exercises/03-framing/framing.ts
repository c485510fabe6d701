// Lesson 3: length-prefixed frames, shared by server.ts and client.ts.
// A frame is a 4-byte big-endian unsigned length, then that many bytes of payload.

/** The size of the length prefix in bytes. */
export const HEADER_BYTES = 4;

/**
 * The longest payload a frame may announce (64 MiB, inclusive). A longer prefix is a peer that
 * does not speak this protocol: `nc` typing "hello" sends "hell", a length of 1,751,477,356.
 */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Thrown by FrameDecoder.push for a length above MAX_FRAME_BYTES: its own class, so it is caught alone. */
export class FrameTooLargeError extends Error {}

/** One frame on the wire: the payload's length, then the payload itself. */
export function encodeFrame(payload: Uint8Array): Buffer {
  // TODO: a 4-byte header holding payload.length (big-endian, unsigned), then the payload.
  void payload;
  return Buffer.alloc(0);
}

/**
 * Turns the chunks a socket delivers, which split and merge frames at random, back into
 * whole frames. Feed it every chunk; it returns the frames completed so far and keeps the rest.
 */
export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  /** Bytes received that do not make a whole frame yet. */
  get pendingBytes(): number {
    return this.buffered.length;
  }

  push(chunk: Uint8Array): Buffer[] {
    // TODO: append the chunk to what is buffered. Then, while the buffer holds a whole
    // frame (4 header bytes and `length` payload bytes), cut it off the front and collect
    // its payload. Keep the leftover for the next chunk: it is the start of the next frame.
    // TODO: a length above MAX_FRAME_BYTES is refused as soon as its 4 bytes are here, without
    // waiting for the payload: throw a FrameTooLargeError whose message names both.
    void chunk;
    return [];
  }
}
