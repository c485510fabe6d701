// The grader's end of a TCP connection: logs every byte to the transcript and lets a
// check wait, with a deadline, for a condition on what has arrived. What arrived is kept
// in a bounded window (byte-window.ts): a program that sends a gigabyte costs the grader
// its count and hash, not a gigabyte.
import net from 'node:net';
import { ByteWindow, PEER_HEAD_BYTES, runBudget, type RetentionBudget, type WindowLimits } from './byte-window.ts';
import { Conditions } from './conditions.ts';
import type { Transcript } from './transcript.ts';

/** Something that reads the stream as it comes (a line reader), and forgets it on clear(). */
export interface StreamReader {
  push(chunk: Buffer): void;
  clear(): void;
}

export interface PeerOptions {
  /** What is kept of the stream; default: the first PEER_HEAD_BYTES. */
  readonly window?: WindowLimits;
  /** Shared allowance; default: the grading run's, keyed by its transcript. */
  readonly budget?: RetentionBudget;
}

export class TcpPeer {
  /** What arrived since the last clear(): kept bytes, count and SHA-256. */
  readonly window: ByteWindow;
  private readonly conditions = new Conditions();
  private readonly readers = new Set<StreamReader>();
  /** Every byte received on this connection, clear() or not. */
  receivedBytes = 0;
  /** The other side sent FIN: our "recv() returned b''". */
  gotEnd = false;
  /** Date.now() when the FIN arrived. */
  endAt?: number;
  closed = false;
  error: NodeJS.ErrnoException | undefined;

  constructor(
    readonly socket: net.Socket,
    readonly name: string,
    private readonly transcript: Transcript,
    options: PeerOptions = {},
  ) {
    this.window = new ByteWindow(options.window ?? { headBytes: PEER_HEAD_BYTES }, name, options.budget ?? runBudget(transcript.run));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.window.push(chunk);
      this.receivedBytes += chunk.length;
      for (const reader of this.readers) reader.push(chunk);
      transcript.received(name, chunk);
      this.conditions.recheck();
    });
    socket.on('end', () => {
      this.gotEnd = true;
      this.endAt = Date.now();
      transcript.note(name, 'got FIN: the other side closed its end');
      this.conditions.recheck();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.error = error;
      transcript.note(name, `socket error ${error.code ?? error.message}`);
      this.conditions.recheck();
    });
    socket.on('close', () => {
      this.closed = true;
      this.conditions.recheck();
    });
  }

  /** The run's allowance this peer's window draws on, for readers that keep bytes too. */
  get budget(): RetentionBudget | undefined {
    return this.window.budget;
  }

  /**
   * Everything received since the last clear(), in one buffer. Throws WindowExceededError
   * (a failed check naming the sizes) when more arrived than the window keeps.
   */
  data(): Buffer {
    return this.window.data();
  }

  /** Drops what was received so far (after a check has looked at it). */
  clear(): void {
    this.window.clear();
    for (const reader of this.readers) reader.clear();
  }

  /** Keeps more (or less) of what arrives from now on: for a check that expects a reply larger than the default. */
  keep(limits: WindowLimits): void {
    this.window.setLimits(limits);
  }

  /** Feeds `reader` every chunk from now on, and clear() too; returns the way to stop. */
  subscribe(reader: StreamReader): () => void {
    this.readers.add(reader);
    return () => this.readers.delete(reader);
  }

  /** Sends and resolves once the bytes are handed to the kernel (or the socket fails). */
  send(data: Buffer | string): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    this.transcript.sent(this.name, bytes);
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.write(bytes, () => resolve());
    });
  }

  /** Half-close: send FIN, keep reading. */
  end(): void {
    this.transcript.note(this.name, 'sent FIN (half-close): nothing more from this side');
    this.socket.end();
  }

  /** Abortive close: the other side sees ECONNRESET. */
  reset(): void {
    this.transcript.note(this.name, 'reset the connection (RST)');
    this.socket.resetAndDestroy();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /**
   * Resolves once `ready()` holds; it is re-checked after every socket event. A condition
   * that throws (it asked for bytes that were not kept) rejects with that error: it is
   * re-checked inside socket events, where a throw would take the grader down.
   */
  until(ready: () => boolean, ms: number, waitedFor: string): Promise<void> {
    return guardedUntil(this.conditions, ready, ms, waitedFor);
  }

  /** Waits until `n` bytes arrived, or the connection ended or failed first. */
  untilBytes(n: number, ms: number, waitedFor: string): Promise<void> {
    return this.until(() => this.receivedBytes >= n || this.gotEnd || this.closed, ms, waitedFor);
  }

  untilEndOrClose(ms: number, waitedFor: string): Promise<void> {
    return this.until(() => this.gotEnd || this.closed, ms, waitedFor);
  }

  /** The grader's side pausing on this connection: `ms`, or less once the connection closes (the grading's cleanup closes it). */
  pause(ms: number): Promise<void> {
    return this.until(() => this.closed || this.socket.destroyed, ms, 'a pause').catch(() => {});
  }
}

/** Conditions.until, with a throwing condition turned into a rejection instead of an uncaught exception. */
export function guardedUntil(conditions: Conditions, ready: () => boolean, ms: number, waitedFor: string): Promise<void> {
  let failed = false;
  let failure: unknown;
  const guarded = () => {
    if (failed) return true;
    try {
      return ready();
    } catch (error) {
      failed = true;
      failure = error;
      return true;
    }
  };
  return conditions.until(guarded, ms, waitedFor).then(() => {
    if (failed) throw failure;
  });
}
