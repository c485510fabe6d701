// The grader's end of a TCP connection: logs every byte to the transcript and lets a
// check wait, with a deadline, for a condition on what has arrived.
import net from 'node:net';
import { Conditions } from './conditions.ts';
import type { Transcript } from './transcript.ts';


export class TcpPeer {
  private readonly chunks: Buffer[] = [];
  private readonly conditions = new Conditions();
  receivedBytes = 0;
  /** The other side sent FIN: our "recv() returned b''". */
  gotEnd = false;
  closed = false;
  error: NodeJS.ErrnoException | undefined;

  constructor(
    readonly socket: net.Socket,
    readonly name: string,
    private readonly transcript: Transcript,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.receivedBytes += chunk.length;
      transcript.received(name, chunk);
      this.conditions.recheck();
    });
    socket.on('end', () => {
      this.gotEnd = true;
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

  /** Everything received so far, in one buffer. */
  data(): Buffer {
    if (this.chunks.length > 1) this.chunks.splice(0, this.chunks.length, Buffer.concat(this.chunks));
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** Drops what was received so far (after a check has looked at it). */
  clear(): void {
    this.chunks.length = 0;
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

  /** Resolves once `ready()` holds; it is re-checked after every socket event. */
  until(ready: () => boolean, ms: number, waitedFor: string): Promise<void> {
    return this.conditions.until(ready, ms, waitedFor);
  }

  /** Waits until `n` bytes arrived, or the connection ended or failed first. */
  untilBytes(n: number, ms: number, waitedFor: string): Promise<void> {
    return this.until(() => this.receivedBytes >= n || this.gotEnd || this.closed, ms, waitedFor);
  }

  untilEndOrClose(ms: number, waitedFor: string): Promise<void> {
    return this.until(() => this.gotEnd || this.closed, ms, waitedFor);
  }
}
