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

/** A listener on host:port as one read of the table shows it; undefined where it cannot be read. */
export interface ListenerLook {
  /** Its accept queue's length (a listener's rx_queue); undefined if it does not listen. */
  readonly acceptQueue?: number;
  /** The local endpoints of the sockets still sending their SYN to it: connects not yet answered. */
  readonly waiting: readonly string[];
}

/** One read of the table (each costs milliseconds of a thread: the kernel walks its whole hash table). */
export function lookAtListener(host: string, port: number): ListenerLook | undefined {
  const endpoint = procEndpoint(host, port);
  const rows = rowsMentioning(host, port);
  if (!rows) return undefined;
  const listening = rows.find((fields) => fields[1] === endpoint && fields[3] === LISTEN);
  return {
    acceptQueue: listening ? parseInt(listening[4]!.split(':')[1]!, 16) : undefined,
    waiting: rows.filter((fields) => fields[2] === endpoint && fields[3] === SYN_SENT).map((fields) => fields[1]!),
  };
}
