// Lesson 6: the kernel's TCP socket table, /proc/net/tcp(6), as the grader reads it: the
// accept queue of a listener, and the sockets in a state whose peer is a given host:port.
import { readFileSync } from 'node:fs';
import net from 'node:net';

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

/** Looks this close together share one read: many watches run at once, in one grading and across gradings. */
const SHARED_LOOK_MS = 10;
const lastLooks = new Map<boolean, { readonly text: string | undefined; readonly at: number }>();

function sharedLook(ipv6: boolean): { readonly text: string | undefined; readonly at: number } {
  const last = lastLooks.get(ipv6);
  if (last && Date.now() - last.at < SHARED_LOOK_MS) return last;
  const look = { text: procTcpText(ipv6), at: Date.now() };
  lastLooks.set(ipv6, look);
  return look;
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

const INODE = 9;

/** Half-closed by this end (end()): FIN-WAIT-1 and FIN-WAIT-2. */
const HALF_CLOSED = new Set(['04', '05']);

/**
 * The local end of every socket in `state` whose peer is host:port, each with whether it is
 * half-closed by this end, per /proc/net/tcp(6) as read at `at` (Date.now()); undefined if it cannot be read.
 */
export function socketsTo(host: string, port: number, state: WatchedState): { readonly sockets: Map<string, { readonly halfClosed: boolean }>; readonly at: number } | undefined {
  const remote = procEndpoint(host, port);
  const { text, at } = sharedLook(net.isIPv6(host));
  if (text === undefined) return undefined;
  const codes: readonly string[] = STATE_CODES[state];
  const held = (fields: string[]) => state !== 'HELD' || fields[INODE] !== '0';
  const matching = rowsMentioning(text, remote).filter((fields) => fields[2] === remote && codes.includes(fields[3]!) && held(fields));
  return { sockets: new Map(matching.map((fields) => [fields[1]!, { halfClosed: HALF_CLOSED.has(fields[3]!) }])), at };
}
