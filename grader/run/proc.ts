// Linux-only views of processes and sockets, read from /proc. Elsewhere every
// function answers "unknown" (undefined or empty) and callers fall back to what
// the process group tells them.
import fs from 'node:fs';

export const hasProc = fs.existsSync('/proc/self/stat') && fs.existsSync('/proc/net/tcp');

export type SocketProtocol = 'tcp' | 'tcp6' | 'udp' | 'udp6';

export interface KernelSocket {
  readonly protocol: SocketProtocol;
  readonly address: string;
  readonly port: number;
  /** TCP state as ss names it (LISTEN, ESTABLISHED, …); UNCONN for an unconnected UDP socket. */
  readonly state: string;
  readonly inode: number;
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED', '02': 'SYN-SENT', '03': 'SYN-RECV', '04': 'FIN-WAIT-1', '05': 'FIN-WAIT-2',
  '06': 'TIME-WAIT', '07': 'CLOSE', '08': 'CLOSE-WAIT', '09': 'LAST-ACK', '0A': 'LISTEN', '0B': 'CLOSING',
};

function readText(path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** "0100007F" → "127.0.0.1"; 32 hex digits → compressed IPv6. */
export function decodeProcAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) => (word.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  const ipv6 = groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  return ipv6.replace(/^::ffff:0:/, '::ffff:').replace(/:{3,}/, '::');
}

export function parseProcNet(text: string, protocol: SocketProtocol): KernelSocket[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length > 9)
    .map((fields) => {
      const [addressHex, portHex] = fields[1]!.split(':') as [string, string];
      const isUdp = protocol.startsWith('udp');
      return {
        protocol,
        address: decodeProcAddress(addressHex),
        port: parseInt(portHex, 16),
        state: isUdp ? (fields[3] === '01' ? 'ESTABLISHED' : 'UNCONN') : (TCP_STATES[fields[3]!] ?? fields[3]!),
        inode: Number(fields[9]),
      };
    });
}

const ALL_PROTOCOLS: readonly SocketProtocol[] = ['tcp', 'tcp6', 'udp', 'udp6'];

/** Every socket of the machine, of these protocols: /proc/net lists them all, so reading is not free. */
export function kernelSockets(protocols: readonly SocketProtocol[] = ALL_PROTOCOLS): KernelSocket[] {
  if (!hasProc) return [];
  return protocols.flatMap((protocol) => parseProcNet(readText(`/proc/net/${protocol}`) ?? '', protocol));
}

/** The socket inodes on `pid`'s open file descriptors (all of them, or only those named). */
export function socketInodesOf(pid: number, only?: readonly number[]): Set<number> {
  const inodes = new Set<number>();
  let fds: readonly string[] = [];
  try {
    fds = only ? only.map(String) : fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(Number(match[1]));
    } catch {
      // the fd closed while we looked
    }
  }
  return inodes;
}

/**
 * Sockets owned by any of these processes (listening, connected or UDP), of these protocols,
 * leaving out the inodes `ignored`. A program that holds no other socket (still starting) costs
 * no read of /proc/net: many gradings poll this at once.
 */
export function socketsOf(pids: readonly number[], protocols: readonly SocketProtocol[] = ALL_PROTOCOLS, ignored: ReadonlySet<number> = new Set()): KernelSocket[] {
  const inodes = new Set(pids.flatMap((pid) => [...socketInodesOf(pid)]).filter((inode) => !ignored.has(inode)));
  if (inodes.size === 0) return [];
  return kernelSockets(protocols).filter((socket) => inodes.has(socket.inode));
}

function allPids(): number[] {
  try {
    return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
}

interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
  readonly pgid: number;
}

function statOf(pid: number): ProcStat | undefined {
  const text = readText(`/proc/${pid}/stat`);
  if (!text) return undefined;
  // The command name is in parentheses and may itself contain spaces or ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: rest[0]!, ppid: Number(rest[1]), pgid: Number(rest[2]) };
}

function liveStats(): ProcStat[] {
  return allPids()
    .map(statOf)
    .filter((stat): stat is ProcStat => stat !== undefined && stat.state !== 'Z');
}

/** Live (not zombie) members of a process group. */
export function liveGroupMembers(pgid: number): number[] {
  return liveStats()
    .filter((stat) => stat.pgid === pgid)
    .map((stat) => stat.pid);
}

/** Live descendants of `pid` (children, theirs, …), found through parent links. */
export function liveDescendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const stat of liveStats()) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  const found: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length) {
    const next = queue.shift()!;
    if (found.includes(next)) continue;
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

export function isLive(pid: number): boolean {
  const stat = statOf(pid);
  return stat !== undefined && stat.state !== 'Z';
}

/** Resident memory of a process in bytes (0 when it is gone). */
export function residentBytes(pid: number): number {
  const fields = readText(`/proc/${pid}/statm`)?.split(' ');
  return fields ? Number(fields[1]) * 4096 : 0;
}

/** The command line of a process, for messages: "node server.ts". */
export function commandLineOf(pid: number): string {
  const line = (readText(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' ').replace(/\s+/g, ' ');
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

export interface OwnedSocket extends KernelSocket {
  readonly pid: number;
}

/** Every process's sockets that `wanted` selects, with the pid that holds each. */
export function socketOwners(wanted: (socket: KernelSocket) => boolean): OwnedSocket[] {
  const byInode = new Map(kernelSockets().filter(wanted).map((socket) => [socket.inode, socket]));
  if (byInode.size === 0) return [];
  const owned: OwnedSocket[] = [];
  for (const pid of allPids()) {
    for (const inode of socketInodesOf(pid)) {
      const socket = byInode.get(inode);
      if (socket) owned.push({ ...socket, pid });
    }
  }
  return owned;
}
