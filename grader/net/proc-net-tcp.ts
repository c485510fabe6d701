// The kernel's TCP socket table, /proc/net/tcp(6) on Linux: how a host and port are written in
// it, and the facts read from it that more than one lesson needs.
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
export function procEndpoint(host: string, port: number): string {
  const bytes = net.isIPv6(host) ? ipv6Bytes(host) : host.split('.').map(Number);
  const words: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) words.push(...bytes.slice(i, i + 4).reverse());
  const hexHost = words.map((byte) => byte.toString(16).padStart(2, '0')).join('').toUpperCase();
  return `${hexHost}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The rows of /proc/net/tcp (an IPv4 host) or tcp6 (IPv6) that mention host:port, split into
 * fields: sl, local, remote, state, tx_queue:rx_queue, …; undefined if unreadable. The kernel
 * prints every TCP socket of the machine: only the rows wanted are split.
 */
function rowsMentioning(host: string, port: number): string[][] | undefined {
  let text: string;
  try {
    text = readFileSync(net.isIPv6(host) ? '/proc/net/tcp6' : '/proc/net/tcp', 'latin1');
  } catch {
    return undefined;
  }
  const endpoint = procEndpoint(host, port);
  return text
    .split('\n')
    .filter((line) => line.includes(endpoint))
    .map((line) => line.trim().split(/\s+/));
}

const LISTEN = '0A';
const SYN_SENT = '02';

/** Length of the accept queue of the LISTEN socket on host:port (a fresh read), or undefined. */
export function acceptQueueLength(host: string, port: number): number | undefined {
  const local = procEndpoint(host, port);
  // For a listener rx_queue is the accept queue.
  const row = rowsMentioning(host, port)?.find((fields) => fields[1] === local && fields[3] === LISTEN);
  return row ? parseInt(row[4]!.split(':')[1]!, 16) : undefined;
}

/** The local endpoints of the sockets still sending their SYN to host:port: connects not yet answered. */
export function connectsWaitingOn(host: string, port: number): string[] | undefined {
  const remote = procEndpoint(host, port);
  return rowsMentioning(host, port)
    ?.filter((fields) => fields[2] === remote && fields[3] === SYN_SENT)
    .map((fields) => fields[1]!);
}
