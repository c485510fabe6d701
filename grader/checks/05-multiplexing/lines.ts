// Reading a line server's replies from the grader's end: wait for a number of complete
// lines with a deadline, and describe what came back when it is not what was expected.
// Each peer gets a LineReader that reads every chunk once, as it arrives: the work is
// linear in what the server sends, and what is kept is bounded whatever it sends.
import { GrowableBytes } from '../../net/byte-window.ts';
import { escapeBytes } from '../../net/escape.ts';
import type { StreamReader, TcpPeer } from '../../net/tcp-peer.ts';
import { untilDoneOrStalled } from '../../run/deadline.ts';
import type { Diagnosis } from '../check.ts';
import { diagnoses } from './diagnoses.ts';

const NEWLINE = 0x0a;

/** A line longer than this is kept cut to this length (the checks compare lines of a few dozen bytes). */
export const MAX_LINE_BYTES = 8 * 1024;
/** Complete lines kept per connection; later ones are counted only. */
export const MAX_KEPT_LINES = 1000;
/** ...and bytes of them: at least 16 lines of the longest kept length always fit. */
export const MAX_KEPT_LINE_BYTES = 128 * 1024;

export interface LineLimits {
  readonly lineBytes: number;
  readonly lines: number;
  readonly keptBytes: number;
}

const DEFAULT_LIMITS: LineLimits = { lineBytes: MAX_LINE_BYTES, lines: MAX_KEPT_LINES, keptBytes: MAX_KEPT_LINE_BYTES };

/** A line that did not fit: recorded, with its true length, instead of kept whole. */
export interface LongLine {
  /** 0-based number of the line. */
  readonly index: number;
  readonly bytes: number;
}

/**
 * Splits a byte stream into "\n"-terminated lines, decoded as latin1 (one character per
 * byte), as they arrive. Every byte is scanned once and copied at most once; lines are
 * kept up to the limits and counted beyond them.
 */
export class LineReader implements StreamReader {
  /** The first complete lines, without their "\n". */
  readonly lines: string[] = [];
  /** Complete lines seen, kept or not. */
  count = 0;
  /** The first line longer than `limits.lineBytes`, if any (it is kept cut, or not at all). */
  longLine: LongLine | undefined;
  /** Lines counted but not kept, because the limits were reached before them. */
  dropped = 0;
  private keptBytes = 0;
  /** The unfinished line: its first `lineBytes` bytes, and its true length. */
  private readonly partial: GrowableBytes;
  private partialBytes = 0;

  constructor(private readonly limits: LineLimits = DEFAULT_LIMITS) {
    this.partial = new GrowableBytes(limits.lineBytes);
  }

  /** Bytes copied so far: linear in what was pushed. */
  get copiedBytes(): number {
    return this.partial.copied;
  }

  /** Bytes of line text held now (kept lines and the unfinished one). */
  get retainedBytes(): number {
    return this.keptBytes + this.partial.capacity;
  }

  push(chunk: Buffer): void {
    let at = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, at)) {
      const bytes = this.partialBytes + (newline - at);
      let text: string;
      if (this.partialBytes === 0) {
        text = chunk.toString('latin1', at, Math.min(newline, at + this.limits.lineBytes));
      } else {
        this.partial.append(chunk, at, newline);
        text = this.partial.view().toString('latin1');
        this.partial.rewind();
      }
      this.partialBytes = 0;
      this.complete(text, bytes);
      at = newline + 1;
    }
    if (at < chunk.length) {
      this.partial.append(chunk, at);
      this.partialBytes += chunk.length - at;
    }
  }

  private complete(text: string, bytes: number): void {
    const index = this.count++;
    if (bytes > this.limits.lineBytes) this.longLine ??= { index, bytes };
    // Kept lines stay a prefix of all lines: once one is not kept, none after it is.
    if (this.dropped === 0 && this.lines.length < this.limits.lines && this.keptBytes + text.length <= this.limits.keptBytes) {
      this.lines.push(text);
      this.keptBytes += text.length;
    } else {
      this.dropped++;
    }
  }

  /** What follows the last "\n" (its first `lineBytes` bytes). */
  rest(): string {
    return this.partial.view().toString('latin1');
  }

  /** True length of what follows the last "\n". */
  get restBytes(): number {
    return this.partialBytes;
  }

  clear(): void {
    this.lines.length = 0;
    this.count = 0;
    this.longLine = undefined;
    this.dropped = 0;
    this.keptBytes = 0;
    this.partial.reset();
    this.partialBytes = 0;
  }
}

const readers = new WeakMap<TcpPeer, LineReader>();

/** The peer's line reader, made on first use from what the peer holds so far, then fed as chunks arrive. */
export function lineReaderOf(peer: TcpPeer): LineReader {
  let reader = readers.get(peer);
  if (!reader) {
    const fresh = new LineReader();
    fresh.push(peer.data());
    peer.subscribe(fresh);
    readers.set(peer, (reader = fresh));
  }
  return reader;
}

export interface Replies {
  /** Complete lines without their "\n" (the first MAX_KEPT_LINES of them). */
  readonly lines: string[];
  /** What follows the last "\n". */
  readonly rest: string;
  /** Complete lines in all, kept or not. */
  readonly count: number;
  /** The first line longer than MAX_LINE_BYTES, kept cut. */
  readonly longLine?: LongLine;
}

/** The replies since the peer's last clear(). */
function repliesOf(peer: TcpPeer): Replies {
  const reader = lineReaderOf(peer);
  return { lines: [...reader.lines], rest: reader.rest(), count: reader.count, longLine: reader.longLine };
}

/**
 * Waits until `count` complete reply lines arrived, the connection ended, or `ms` passed.
 * Never throws for a late or missing reply: the check compares what came with what should
 * have. (It does throw WindowExceededError if, before its first call, the peer received more
 * than it keeps.)
 */
export async function awaitLines(peer: TcpPeer, count: number, ms: number, waitedFor: string): Promise<Replies> {
  await peer.until(enoughLines(peer, count), ms, waitedFor).catch(() => undefined);
  return repliesOf(peer);
}

/**
 * Like awaitLines, but also ends once `progress` (by default, the bytes this peer received) has
 * not moved for `stallMs`; time the grader itself was held up does not count.
 */
export async function awaitLinesUnlessQuiet(
  peer: TcpPeer,
  count: number,
  { deadlineMs, stallMs, progress = () => peer.receivedBytes }: { readonly deadlineMs: number; readonly stallMs: number; readonly progress?: () => number },
): Promise<Replies> {
  await untilDoneOrStalled(enoughLines(peer, count), progress, { deadlineMs, stallMs });
  return repliesOf(peer);
}

function enoughLines(peer: TcpPeer, count: number): () => boolean {
  const reader = lineReaderOf(peer);
  return () => reader.count >= count || peer.gotEnd || peer.closed;
}

/** Escaped bytes of a line read (or built) as latin1, one character per byte. */
const escapeLatin1 = (text: string) => escapeBytes(Buffer.from(text, 'latin1'), 80);

/** Lines as the learner would read them in a terminal, byte for byte, for expected/actual. */
export function showLines(lines: readonly string[], rest = ''): string {
  const shown = lines.map((line) => escapeLatin1(`${line}\n`));
  if (rest) shown.push(`${escapeLatin1(rest)} (no "\\n" yet)`);
  return shown.length ? shown.join(', ') : '(nothing)';
}

/** `${n} ${line}` for consecutive numbers starting at `first`. */
export function numbered(lines: readonly string[], first = 1): string[] {
  return lines.map((line, index) => `${first + index} ${line}`);
}

/** The number a reply starts with, or undefined when it does not start with "N ". */
export function replyNumber(reply: string): number | undefined {
  const match = /^(\d+) /.exec(reply);
  return match ? Number(match[1]) : undefined;
}

/** Names the usual mistake behind a reply to `line` that is not `${expectedNumber} ${line}`. */
export function diagnoseReply(line: string, expectedNumber: number, reply: string | undefined): Diagnosis | undefined {
  if (reply === undefined) return undefined;
  if (reply === line) return diagnoses['reply-without-number'];
  if (reply === `${expectedNumber} ${line}\r`) return diagnoses['reply-ends-with-cr'];
  const number = replyNumber(reply);
  if (number === expectedNumber - 1 && reply === `${number} ${line}`) return diagnoses['counts-from-zero'];
  if (reply.startsWith(`${expectedNumber}${line}`) || reply.startsWith(`${expectedNumber}:`)) return diagnoses['no-space-after-number'];
  return undefined;
}
