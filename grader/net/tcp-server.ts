import net from 'node:net';
import { afterReading } from '../run/deadline.ts';
import { TcpPeer } from './tcp-peer.ts';
import type { Transcript } from './transcript.ts';

/** How long a connection may still be announced after the client's exit was. */
const ACCEPT_GRACE_MS = 100;

/** A server the grader plays, for lessons where the learner writes the client. */
export class GraderServer {
  readonly peers: TcpPeer[] = [];
  private readonly waiting = new Set<() => void>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static listen(host: string, port: number, transcript: Transcript, onPeer: (peer: TcpPeer) => void): Promise<GraderServer> {
    return new Promise((resolve, reject) => {
      let grader: GraderServer;
      const server = net.createServer({ allowHalfOpen: true }, (socket) => {
        const peer = new TcpPeer(socket, `server-${grader.peers.length + 1}`, transcript);
        transcript.note(peer.name, `accepted a connection from ${socket.remoteAddress}:${socket.remotePort}`);
        grader.peers.push(peer);
        for (const wake of grader.waiting) wake();
        onPeer(peer);
      });
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        grader = new GraderServer(server, port);
        resolve(grader);
      });
    });
  }

  /**
   * Resolves with the n-th accepted connection (1-based), or undefined after `ms`, or
   * ACCEPT_GRACE_MS after `hopeless` settles (say, the client exited: it will not connect any
   * more, but its last connection may still be queued behind the news of its exit).
   */
  accepted(n: number, ms: number, hopeless?: Promise<unknown>): Promise<TcpPeer | undefined> {
    return new Promise((resolve) => {
      const end = Date.now() + ms;
      let timer: NodeJS.Timeout;
      const check = () => {
        if (this.peers.length < n) return false;
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve(this.peers[n - 1]);
        return true;
      };
      const wake = () => void check();
      const giveUp = (afterMs: number) => {
        clearTimeout(timer);
        timer = afterReading(afterMs, () => {
          this.waiting.delete(wake);
          resolve(undefined);
        });
      };
      giveUp(ms);
      if (check()) return;
      this.waiting.add(wake);
      void hopeless?.then(
        () => this.waiting.has(wake) && giveUp(Math.max(0, Math.min(end - Date.now(), ACCEPT_GRACE_MS))),
        () => undefined,
      );
    });
  }

  close(): Promise<void> {
    for (const peer of this.peers) peer.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
