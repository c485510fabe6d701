// How many bytes the server read from one of its connections, as its kernel counts them:
// `ss -ti` gives the bytes that arrived (bytes_received) and those still waiting unread
// (Recv-Q); the difference is what the program has read. Taken twice while the client
// reads nothing, it shows whether a paused server reads again without its "drain", and it
// does not depend on when the samples are taken: arrivals move bytes from one term to the
// other, only the program's reads change the difference.
import { execFile } from 'node:child_process';
import { sleep } from '../../run/deadline.ts';

const SS_TIMEOUT_MS = 2000;

/** Bytes read so far by the server on its socket from `serverPort` to `clientPort`, or undefined when ss cannot tell. */
export function serverBytesRead(serverPort: number, clientPort: number): Promise<number | undefined> {
  const filter = `( sport = :${serverPort} and dport = :${clientPort} )`;
  return new Promise((resolve) => {
    execFile('ss', ['-tinH', 'state', 'established', filter], { timeout: SS_TIMEOUT_MS }, (error, stdout) => {
      if (error) return resolve(undefined);
      const recvQ = /^\s*(\d+)\s/.exec(stdout);
      const received = /bytes_received:(\d+)/.exec(stdout);
      resolve(recvQ && received ? Number(received[1]) - Number(recvQ[1]) : undefined);
    });
  });
}

/** What the server read from the connection while watched: in all, and after the first `settleMs`. */
export interface WatchedReads {
  readonly total: number;
  readonly afterSettling: number;
}

/**
 * How many bytes the server read from the connection during `ms`, in all and after its first
 * `settleMs`, or undefined when this machine cannot tell (no ss, or the connection is gone).
 */
export async function bytesReadWhileWatched(serverPort: number, clientPort: number, settleMs: number, ms: number): Promise<WatchedReads | undefined> {
  const before = await serverBytesRead(serverPort, clientPort);
  if (before === undefined) return undefined;
  await sleep(settleMs);
  const settled = await serverBytesRead(serverPort, clientPort);
  await sleep(Math.max(0, ms - settleMs));
  const after = await serverBytesRead(serverPort, clientPort);
  return settled === undefined || after === undefined ? undefined : { total: after - before, afterSettling: after - settled };
}

/**
 * Bytes the server holds in its own memory on the connection from `serverPort` to `clientPort`:
 * what it took from the kernel (bytes_received less Recv-Q) less what it handed back to it
 * (bytes_acked plus Send-Q). Its replies are its lines with a number in front, so for a server
 * that stops reading when write() returns false this is its high-water mark and a line or two;
 * one that stops later keeps the difference queued. Undefined when ss cannot tell.
 */
export function serverHeldBytes(serverPort: number, clientPort: number): Promise<number | undefined> {
  const filter = `( sport = :${serverPort} and dport = :${clientPort} )`;
  return new Promise((resolve) => {
    execFile('ss', ['-tinH', 'state', 'established', filter], { timeout: SS_TIMEOUT_MS }, (error, stdout) => {
      if (error) return resolve(undefined);
      const queues = /^\s*(\d+)\s+(\d+)\s/.exec(stdout);
      const received = /bytes_received:(\d+)/.exec(stdout);
      const acked = /bytes_acked:(\d+)/.exec(stdout);
      if (!queues || !received || !acked) return resolve(undefined);
      const taken = Number(received[1]) - Number(queues[1]);
      const handedBack = Number(acked[1]) + Number(queues[2]);
      resolve(Math.max(0, taken - handedBack));
    });
  });
}
