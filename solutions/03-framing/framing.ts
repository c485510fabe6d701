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
  // Filled in: the chunks not yet cut into frames, kept as they came; each byte is copied at
  // most once, when its frame is complete, so a large frame costs linear time.
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Bytes received that do not make a whole frame yet. */
  get pendingBytes(): number {
    return this.buffered;
  }

  push(chunk: Uint8Array): Buffer[] {
    // Filled in: keep the chunk, then cut off every whole frame; the rest waits for the next chunk.
    this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.buffered += chunk.byteLength;
    const frames: Buffer[] = [];
    while (this.buffered >= HEADER_BYTES) {
      const length = this.peek(HEADER_BYTES).readUInt32BE(0);
      // Filled in: refuse it as soon as the prefix is here, not after waiting for its payload.
      if (length > MAX_FRAME_BYTES) throw new FrameTooLargeError(`frame length ${length} is above the limit of ${MAX_FRAME_BYTES} bytes`);
      if (this.buffered < HEADER_BYTES + length) break;
      frames.push(this.take(HEADER_BYTES + length).subarray(HEADER_BYTES));
    }
    return frames;
  }

  /** The first `count` buffered bytes, joined only when they span chunks. */
  private peek(count: number): Buffer {
    if (this.chunks[0]!.length < count) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!;
  }

  /** Removes and returns the first `count` buffered bytes. */
  private take(count: number): Buffer {
    const whole = this.peek(count);
    const taken = whole.subarray(0, count);
    const rest = whole.subarray(count);
    this.chunks = rest.length ? [rest, ...this.chunks.slice(1)] : this.chunks.slice(1);
    this.buffered -= count;
    return taken;
  }
}
