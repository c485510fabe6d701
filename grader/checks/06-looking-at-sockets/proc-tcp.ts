// Lesson 6: the kernel's TCP socket table, /proc/net/tcp(6), as the grader reads it: the
// accept queue of a listener, and what to look for to find the sockets in a state whose peer is
// a given host:port (looked for on a thread: table-thread.ts).
import { readFileSync } from 'node:fs';
import net from 'node:net';
import type { TableQuery } from './table-thread.ts';

/** The 16 bytes of an IPv6 address ("::1", "fe80::1:2"). */
function ipv6Bytes(host: string): number[] {
  const [head = '', tail = ''] = host.split('::');
  const groups = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = groups(head);
  const right = host.includes('::') ? groups(tail) : [];
  const all = [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((group) => [group >> 8, group & 0xff]);
}

/**
 * A host and port as /proc/net/tcp(6) writes them: 127.0.0.1:8080 is "0100007F:1F90"; an IPv6
 * address is four 32-bit words, each in the machine's (little-endian) byte order.
 */
function procEndpoint(host: string, port: number): string {
  const bytes = net.isIPv6(host) ? ipv6Bytes(host) : host.split('.').map(Number);
  const words: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) words.push(...bytes.slice(i, i + 4).reverse());
  const hexHost = words.map((byte) => byte.toString(16).padStart(2, '0')).join('').toUpperCase();
  return `${hexHost}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The rows of /proc/net/tcp (an IPv4 host) or tcp6 (IPv6) that mention `endpoint`, split into
 * fields: sl, local, remote, state, tx_queue:rx_queue, …; undefined if unreadable. The kernel
 * prints every TCP socket of the machine: only the rows wanted are split.
 */
function rowsMentioning(text: string, endpoint: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.includes(endpoint))
    .map((line) => line.trim().split(/\s+/));
}

function procTcpText(ipv6: boolean): string | undefined {
  try {
    return readFileSync(ipv6 ? '/proc/net/tcp6' : '/proc/net/tcp', 'latin1');
  } catch {
    return undefined;
  }
}

/** Length of the accept queue of the LISTEN socket on host:port, per /proc/net/tcp. */
export function acceptQueueLength(host: string, port: number): number | undefined {
  const local = procEndpoint(host, port);
  const text = procTcpText(net.isIPv6(host));
  // For a listener rx_queue is the accept queue. A fresh read: the length is compared with the last.
  const row = text === undefined ? undefined : rowsMentioning(text, local).find((fields) => fields[1] === local && fields[3] === '0A');
  return row ? parseInt(row[4]!.split(':')[1]!, 16) : undefined;
}

/**
 * /proc/net/tcp's codes for each state a watch may look for. HELD is a connection the process
 * still has open: established, or half-closed by end() (FIN-WAIT-1/2, CLOSE-WAIT). After
 * destroy() the kernel may keep a FIN-WAIT-2 of its own a while, but that socket has inode 0.
 */
const STATE_CODES = { ESTABLISHED: ['01'], 'SYN-SENT': ['02'], HELD: ['01', '04', '05', '08'] } as const;
export type WatchedState = keyof typeof STATE_CODES;

/** Half-closed by this end (end()): FIN-WAIT-1 and FIN-WAIT-2. */
const HALF_CLOSED = ['04', '05'];

/** What a watch of the sockets in `state` whose peer is host:port looks for in the table. */
export function watchQuery(host: string, port: number, state: WatchedState): TableQuery {
  return { ipv6: net.isIPv6(host), remote: procEndpoint(host, port), states: STATE_CODES[state], halfClosed: HALF_CLOSED, heldOnly: state === 'HELD' };
}
