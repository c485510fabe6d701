// Lesson 3: length-prefixed frames, shared by server.ts and client.ts.
// A frame is a 4-byte big-endian unsigned length, then that many bytes of payload.

/** The size of the length prefix in bytes. */
export const HEADER_BYTES = 4;

/** One frame on the wire: the payload's length, then the payload itself. */
export function encodeFrame(payload: Uint8Array): Buffer {
  // Filled in: the header says how many bytes follow, so the reader knows where the frame ends.
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(payload.length, 0);
  return Buffer.concat([header, payload]);
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
    // Filled in: append, then cut off every whole frame; what is left waits for the next chunk.
    this.buffered = this.buffered.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffered, chunk]);
    const frames: Buffer[] = [];
    while (this.buffered.length >= HEADER_BYTES) {
      const length = this.buffered.readUInt32BE(0);
      if (this.buffered.length < HEADER_BYTES + length) break;
      frames.push(this.buffered.subarray(HEADER_BYTES, HEADER_BYTES + length));
      this.buffered = this.buffered.subarray(HEADER_BYTES + length);
    }
    return frames;
  }
}
