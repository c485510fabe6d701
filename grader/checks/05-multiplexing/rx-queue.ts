// How many bytes wait, unread by the server, in the kernel's receive queue of one of its
// connections (the rx_queue column of /proc/net/tcp and tcp6). Only the server reading
// makes it shrink: watched while the client reads nothing, it shows whether a paused
// server reads again without its "drain".
import fs from 'node:fs';
import { hasProc } from '../../run/proc.ts';
import { sleep } from '../../run/deadline.ts';

const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');

/** Bytes queued for the server on its socket from `serverPort` to `clientPort`, or undefined when not visible. */
export function serverRxQueue(serverPort: number, clientPort: number): number | undefined {
  if (!hasProc) return undefined;
  const local = `:${hexPort(serverPort)}`;
  const remote = `:${hexPort(clientPort)}`;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 5 || !fields[1]!.endsWith(local) || !fields[2]!.endsWith(remote)) continue;
      return parseInt(fields[4]!.split(':')[1]!, 16);
    }
  }
  return undefined;
}

/**
 * Watches the queue for `ms`: how many bytes the server read from it meanwhile (0 when it
 * read nothing), or undefined when the queue is not visible on this machine.
 */
export async function bytesReadWhileWatched(serverPort: number, clientPort: number, ms: number): Promise<number | undefined> {
  const start = serverRxQueue(serverPort, clientPort);
  if (start === undefined) return undefined;
  let lowest = start;
  for (const until = Date.now() + ms; Date.now() < until; ) {
    await sleep(50);
    lowest = Math.min(lowest, serverRxQueue(serverPort, clientPort) ?? lowest);
  }
  return start - lowest;
}
