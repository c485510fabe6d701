// A client that sends long lines as fast as the kernel takes them and never reads the
// replies. What it measures is how much the server let in: a server that stops reading
// when its replies back up stalls it after the socket buffers fill; one that keeps reading
// lets it push until the grader's cap.
import { MiB } from '../../net/byte-window.ts';
import type { TcpPeer } from '../../net/tcp-peer.ts';
import type { Transcript } from '../../net/transcript.ts';
import { sleep } from '../../run/deadline.ts';

/** Line length including its "\n": a reply is larger than write()'s 16 KiB high-water mark. */
export const FLOOD_LINE_BYTES = 64 * 1024;
/** Writes in flight at once: enough to keep the kernel busy, few enough to keep the grader small. */
const IN_FLIGHT = 4;
const POLL_MS = 25;
/**
 * What the flooder's connection keeps of the replies: every reply is compared once the
 * server reads again, and a server that passes the flood check let in at most its 48 MiB
 * limit (plus the lines in flight), so at most about 48.3 MiB of replies are due.
 */
export const FLOOD_REPLIES_KEPT_BYTES = 64 * MiB;

export type FloodEnd = 'stalled' | 'cap' | 'closed' | 'deadline';

export interface FloodResult {
  readonly end: FloodEnd;
  /** Bytes the kernel took: their write callbacks came back without error. */
  readonly acceptedBytes: number;
  readonly elapsedMs: number;
}

/** Line i (from 1): "flood i " and seeded letters, 64 KiB with its "\n". */
export function floodLine(i: number, filler: Buffer): Buffer {
  const line = Buffer.alloc(FLOOD_LINE_BYTES);
  const head = line.write(`flood ${i} `, 'latin1');
  filler.copy(line, head, 0, FLOOD_LINE_BYTES - 1 - head);
  line[FLOOD_LINE_BYTES - 1] = 0x0a;
  return line;
}

export class Flooder {
  /** Lines handed to write(), accepted or not: the server will see every one of them. */
  linesWritten = 0;
  acceptedBytes = 0;
  private inFlight = 0;
  private stopped = false;
  private lastProgress = Date.now();

  constructor(
    readonly peer: TcpPeer,
    private readonly transcript: Transcript,
    private readonly filler: Buffer,
  ) {
    peer.keep({ headBytes: FLOOD_REPLIES_KEPT_BYTES });
  }

  line(i: number): Buffer {
    return floodLine(i, this.filler);
  }

  private pump(capBytes: number): void {
    const socket = this.peer.socket;
    while (!this.stopped && !socket.destroyed && this.inFlight < IN_FLIGHT && this.acceptedBytes + this.inFlight * FLOOD_LINE_BYTES < capBytes) {
      const line = this.line(++this.linesWritten);
      this.inFlight++;
      this.transcript.sent(this.peer.name, line);
      socket.write(line, (error) => {
        this.inFlight--;
        if (error) return;
        this.acceptedBytes += line.length;
        this.lastProgress = Date.now();
        this.pump(capBytes);
      });
    }
  }

  /**
   * Sends until the kernel has taken `capBytes`, or has taken nothing more for `stallMs`,
   * or the connection closed, or `deadlineMs` passed. Then stops writing new lines.
   */
  async flood(capBytes: number, stallMs: number, deadlineMs: number): Promise<FloodResult> {
    const started = Date.now();
    this.lastProgress = started;
    this.peer.socket.pause(); // never read: the replies must pile up at the server
    this.pump(capBytes);
    let end: FloodEnd;
    for (;;) {
      await sleep(POLL_MS);
      const now = Date.now();
      if (this.acceptedBytes >= capBytes) end = 'cap';
      else if (this.peer.closed || this.peer.error || this.peer.socket.destroyed) end = 'closed';
      else if (now - this.lastProgress >= stallMs) end = 'stalled';
      else if (now - started >= deadlineMs) end = 'deadline';
      else continue;
      break;
    }
    this.stopped = true;
    return { end, acceptedBytes: this.acceptedBytes, elapsedMs: Date.now() - started };
  }

  /** The replies every written line should get, in order: "i LINE\n" (built once, in one buffer). */
  expectedReplies(): Buffer {
    let size = 0;
    for (let i = 1; i <= this.linesWritten; i++) size += `${i} `.length + FLOOD_LINE_BYTES;
    const replies = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = 1; i <= this.linesWritten; i++) {
      at += replies.write(`${i} `, at, 'latin1');
      at += this.line(i).copy(replies, at);
    }
    return replies;
  }
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
