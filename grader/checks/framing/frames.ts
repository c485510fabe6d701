// The grader's side of lesson 3's protocol: a 4-byte big-endian length, then the payload.
// Encoding, decoding, and naming what is wrong with a program's replies.
import { escapeBytes } from '../../net/escape.ts';

export function encodeFrame(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length, 0);
  return Buffer.concat([header, payload]);
}

export function reversed(payload: Uint8Array): Buffer {
  return Buffer.from(payload).reverse();
}

/** Every whole frame in `data`, and the bytes after the last one. */
export function decodeFrames(data: Buffer): { frames: Buffer[]; rest: Buffer } {
  const frames: Buffer[] = [];
  let at = 0;
  while (data.length - at >= 4) {
    const length = data.readUInt32BE(at);
    if (data.length - at - 4 < length) break;
    frames.push(data.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return { frames, rest: data.subarray(at) };
}

export function wireBytes(payloads: readonly Uint8Array[]): number {
  return payloads.reduce((sum, payload) => sum + 4 + payload.length, 0);
}

/** A short, escaped view of a payload for expected/actual lines. */
export function showPayload(payload: Uint8Array, max = 32): string {
  return `${payload.length} byte${payload.length === 1 ? '' : 's'} ${escapeBytes(payload, max)}`;
}

export interface ReplyMismatch {
  /** One line: what was wrong. */
  readonly summary: string;
  readonly expected: string;
  readonly actual: string;
  /** Set when the bytes themselves show the mistake. */
  readonly hint?: string;
}

const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

/** Compares the reply stream with the replies `sent` should get; undefined when right. */
export function compareReplies(sent: readonly Buffer[], got: Buffer): ReplyMismatch | undefined {
  const expected = sent.map(reversed);
  const { frames, rest } = decodeFrames(got);
  for (let i = 0; i < Math.min(frames.length, expected.length); i++) {
    const frame = frames[i]!;
    const want = expected[i]!;
    if (frame.equals(want)) continue;
    return {
      summary: `reply ${i + 1} of ${expected.length} is wrong`,
      expected: `a frame of ${showPayload(want)}`,
      actual: `a frame of ${showPayload(frame)}`,
      hint: diagnosePayload(sent[i]!, frame),
    };
  }
  if (frames.length > expected.length) {
    return {
      summary: `${frames.length} reply frames came back for ${expected.length} frames sent`,
      expected: `${expected.length} replies`,
      actual: `${frames.length} replies; reply ${expected.length + 1} holds ${showPayload(frames[expected.length]!)}`,
      hint: 'Answer each frame exactly once, with one frame.',
    };
  }
  if (frames.length < expected.length) {
    const missing = expected[frames.length]!;
    const header = rest.length >= 4 ? rest.readUInt32BE(0) : undefined;
    const littleEndian = rest.length >= 4 && rest.readUInt32LE(0) === missing.length && header !== missing.length;
    return {
      summary: `${frames.length} of ${expected.length} replies came back${rest.length ? `, then ${rest.length} bytes that do not make a whole frame` : ''}`,
      expected: `${expected.length} reply frames; the next one: ${showPayload(missing)}`,
      actual: rest.length
        ? `${frames.length} whole replies, then ${escapeBytes(rest, 24)}${header !== undefined ? ` (a header announcing ${header} bytes)` : ''}`
        : `${frames.length} whole replies, then nothing`,
      hint: littleEndian
        ? 'The reply header holds the length little-endian. The protocol is big-endian ("network order"): writeUInt32BE, readUInt32BE.'
        : rest.length > 0 && rest.length < 4 + missing.length && rest.subarray(0, 4).readUInt32BE(0) > missing.length
          ? 'A reply announces more bytes than it carries: build the header from the payload you actually send, payload.length in bytes.'
          : undefined,
    };
  }
  return undefined;
}

/** Names the mistake a wrong reply payload shows, when it shows one. */
export function diagnosePayload(sentPayload: Buffer, frame: Buffer): string | undefined {
  const want = reversed(sentPayload);
  if (frame.includes(REPLACEMENT) && !want.includes(REPLACEMENT)) {
    return 'The reply holds EF BF BD, the UTF-8 replacement character: the payload was turned into a string (toString, setEncoding, string concatenation) and back. Frames carry bytes: keep Buffers from socket to reply.';
  }
  if (frame.equals(sentPayload) && !want.equals(sentPayload)) return 'The payload came back in its original order: reverse the bytes (Buffer.from(payload).reverse()).';
  if (frame.length < want.length && want.subarray(want.length - frame.length).equals(frame)) {
    return `The reply holds the last ${frame.length} of ${want.length} bytes reversed: you answered with only the part of the payload that had arrived. Wait until 4 + length bytes are buffered before answering.`;
  }
  if (frame.length < want.length) {
    return `The reply is ${frame.length} bytes for a ${want.length}-byte payload: answer only once the whole frame (4 + length bytes) is buffered.`;
  }
  return undefined;
}
