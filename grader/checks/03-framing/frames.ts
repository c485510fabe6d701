// The grader's side of lesson 3's protocol: a 4-byte big-endian length, then the payload.
// Encoding, decoding, and naming what is wrong with a program's replies.
import { formatBytes, GrowableBytes, MiB, WindowExceededError, type RetentionBudget } from '../../net/byte-window.ts';
import { escapeBytes } from '../../net/escape.ts';
import { withFact, type Diagnosis } from '../check.ts';
import { diagnoses } from './diagnoses.ts';

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

/** The largest frame a FrameReader keeps by default: lesson 3's client sends at most 2 MiB. */
export const MAX_FRAME_BYTES = 16 * MiB;
/** The length prefix: 4 bytes, big-endian, the payload's length alone. */
const HEADER_BYTES = 4;
/** The contract's limit (lessons/course.ts, framing.ts): a payload of at most 64 MiB. */
export const PROTOCOL_MAX_FRAME_BYTES = 64 * MiB;

/** A frame that did not fit: recorded instead of buffered. */
export interface OversizedFrame {
  /** 0-based number of the frame. */
  readonly index: number;
  /** The length its header announced. */
  readonly announced: number;
  /** Over the reader's cap, or over what the grading run keeps in all. */
  readonly limit: 'frame' | 'run';
}

/**
 * Decodes frames from a stream as chunks arrive. Each byte is copied at most once (into
 * the payload of the frame it belongs to, in a buffer that grows with what has arrived,
 * never with what a header announces), so the work is linear and the memory is at most
 * one frame of `maxFrameBytes`. A frame that outgrows it is recorded in `oversized`, and
 * nothing after it is decoded: the stream is counted, not kept.
 */
export class FrameReader {
  /** Whole frames decoded so far. */
  frames = 0;
  oversized: OversizedFrame | undefined;
  /** Bytes after the last whole frame (header included), kept or not. */
  pendingBytes = 0;
  /** Bytes copied by payloads already finished. */
  private copiedBefore = 0;
  private readonly header = Buffer.alloc(4);
  private headerFill = 0;
  private length = 0;
  private payload: GrowableBytes | undefined;

  constructor(
    readonly maxFrameBytes: number = MAX_FRAME_BYTES,
    private readonly budget?: RetentionBudget,
  ) {}

  /** Bytes this reader holds now. */
  get retainedBytes(): number {
    return this.payload?.capacity ?? 0;
  }

  /** Bytes copied so far, growth included: linear in what was pushed. */
  get copiedBytes(): number {
    return this.copiedBefore + (this.payload?.copied ?? 0);
  }

  /**
   * The payloads of the frames `chunk` completes, in order. A payload that lies whole in
   * the chunk is a view of it: copy it to keep it past the chunk.
   */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let at = 0;
    if (this.oversized) {
      this.pendingBytes += chunk.length;
      return frames;
    }
    while (at < chunk.length || (this.headerFill === 4 && this.length === 0)) {
      if (this.headerFill < 4) {
        const take = Math.min(4 - this.headerFill, chunk.length - at);
        chunk.copy(this.header, this.headerFill, at, at + take);
        this.headerFill += take;
        this.pendingBytes += take;
        at += take;
        if (this.headerFill < 4) break;
        this.length = this.header.readUInt32BE(0);
        // A whole payload in this chunk needs no copy.
        if (!this.payload && chunk.length - at >= this.length && this.length <= this.maxFrameBytes) {
          frames.push(chunk.subarray(at, at + this.length));
          at += this.length;
          this.done();
          continue;
        }
      }
      const have = this.payload?.length ?? 0;
      const take = Math.min(this.length - have, chunk.length - at);
      // Too long for the cap, or (took < take) the run's allowance ran out: counted from here on, not kept.
      const took = have + take > this.maxFrameBytes ? 0 : (this.payload ??= new GrowableBytes(Math.min(this.length, this.maxFrameBytes), this.budget)).append(chunk, at, at + take);
      if (took < take) {
        this.oversized = { index: this.frames, announced: this.length, limit: have + take > this.maxFrameBytes ? 'frame' : 'run' };
        this.pendingBytes += chunk.length - at;
        this.dropPayload();
        return frames;
      }
      this.pendingBytes += take;
      at += take;
      if ((this.payload?.length ?? 0) < this.length) break;
      // The buffer grew to exactly the frame's length: it is handed over without a copy.
      frames.push(this.payload!.view());
      this.dropPayload();
      this.done();
    }
    return frames;
  }

  private dropPayload(): void {
    if (!this.payload) return;
    this.copiedBefore += this.payload.copied;
    this.payload.reset();
    this.payload = undefined;
  }

  private done(): void {
    this.frames++;
    this.headerFill = 0;
    this.length = 0;
    this.pendingBytes = 0;
  }

  /**
   * The bytes after the last whole frame, as a copy. Throws WindowExceededError once a frame
   * outgrew the reader: what follows it was counted, not kept.
   */
  pending(): Buffer {
    if (this.oversized) {
      const { index, announced, limit } = this.oversized;
      const kept = limit === 'frame' ? `the ${formatBytes(this.maxFrameBytes)} the grader reads of one frame` : `the ${formatBytes(this.budget?.limit ?? 0)} the grader keeps for a whole grading run`;
      throw new WindowExceededError(
        `frame ${index + 1} announces ${announced} bytes and ${formatBytes(this.pendingBytes)} of it arrived: more than ${kept}, far more than this check sends`,
        `frames of at most ${formatBytes(this.maxFrameBytes)}`,
        `a header announcing ${announced} bytes, then ${this.pendingBytes - 4} bytes`,
      );
    }
    const header = this.header.subarray(0, this.headerFill);
    return this.payload ? Buffer.concat([header, this.payload.view()]) : Buffer.from(header);
  }
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
  readonly diagnosis?: Diagnosis;
}

const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

/** The reply stream already holds a whole frame that is not its `expected` one, or one frame too many. */
export function repliesGoneWrong(expected: readonly Buffer[], got: Buffer): boolean {
  const { frames } = decodeFrames(got);
  return frames.length > expected.length || frames.some((frame, i) => !frame.equals(expected[i]!));
}

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
      diagnosis: diagnosePayload(sent[i]!, frame),
    };
  }
  if (frames.length > expected.length) {
    return {
      summary: `${frames.length} reply frames came back for ${expected.length} frames sent`,
      expected: `${expected.length} replies`,
      actual: `${frames.length} replies; reply ${expected.length + 1} holds ${showPayload(frames[expected.length]!)}`,
    };
  }
  if (frames.length < expected.length) {
    const missing = expected[frames.length]!;
    const header = rest.length >= 4 ? rest.readUInt32BE(0) : undefined;
    return {
      summary: `${frames.length} of ${expected.length} replies came back${rest.length ? `, then ${rest.length} bytes that do not make a whole frame` : ''}`,
      expected: `${expected.length} reply frames; the next one: ${showPayload(missing)}`,
      actual: rest.length
        ? `${frames.length} whole replies, then ${escapeBytes(rest, 24)}${header !== undefined ? ` (a header announcing ${header} bytes)` : ''}`
        : `${frames.length} whole replies, then nothing`,
      diagnosis: diagnoseUnfinished(rest, missing.length),
    };
  }
  return undefined;
}

/** Names the mistake shown by reply bytes that do not make the next whole frame. */
function diagnoseUnfinished(rest: Buffer, wantLength: number): Diagnosis | undefined {
  if (rest.length < 4) return undefined;
  const header = rest.readUInt32BE(0);
  if (rest.readUInt32LE(0) === wantLength && header !== wantLength) return diagnoses['little-endian-length'];
  if (header === wantLength + HEADER_BYTES) return withFact(diagnoses['length-counts-header'], `The reply's header announced ${header} bytes for a ${wantLength}-byte payload.`);
  return undefined;
}

/** Names the mistake a wrong reply payload shows, when it shows one. */
export function diagnosePayload(sentPayload: Buffer, frame: Buffer): Diagnosis | undefined {
  const want = reversed(sentPayload);
  if (frame.includes(REPLACEMENT) && !want.includes(REPLACEMENT)) return diagnoses['decodes-payload-as-text'];
  if (frame.equals(sentPayload) && !want.equals(sentPayload)) return diagnoses['not-reversed'];
  // A header that counts itself makes the grader read the next reply's 4 header bytes as part of this one.
  if (frame.length === want.length + HEADER_BYTES && frame.subarray(0, want.length).equals(want)) {
    return withFact(diagnoses['length-counts-header'], `The reply's header announced ${frame.length} bytes for a ${want.length}-byte payload.`);
  }
  if (frame.length < want.length && want.subarray(want.length - frame.length).equals(frame)) {
    return withFact(diagnoses['answers-partial-payload'], `The reply holds the last ${frame.length} of ${want.length} bytes reversed.`);
  }
  if (frame.length < want.length) return withFact(diagnoses['answers-partial-payload'], `The reply is ${frame.length} bytes for a ${want.length}-byte payload.`);
  return undefined;
}
