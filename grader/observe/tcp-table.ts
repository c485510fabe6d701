// The kernel's own view of TCP sockets for `npm run observe`: every row of /proc/net/tcp and
// tcp6 with both ends, the state, both queues and the inode, and which processes hold an inode
// (from /proc/PID/fd). Answers are checked against this, never against what the grader made.
import fs from 'node:fs';
import { decodeProcAddress, hasProc } from '../run/proc.ts';

const STATES: Record<string, string> = {
  '01': 'ESTAB', '02': 'SYN-SENT', '03': 'SYN-RECV', '04': 'FIN-WAIT-1', '05': 'FIN-WAIT-2',
  '06': 'TIME-WAIT', '07': 'CLOSE', '08': 'CLOSE-WAIT', '09': 'LAST-ACK', '0A': 'LISTEN', '0B': 'CLOSING',
};

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export interface TcpRow {
  readonly local: Endpoint;
  readonly remote: Endpoint;
  /** As ss names it: ESTAB, LISTEN, TIME-WAIT, … */
  readonly state: string;
  /** tx_queue: bytes not yet acknowledged by the peer (ss's Send-Q of a connection). */
  readonly sendQ: number;
  /** rx_queue: bytes not yet read; for a listener, connections waiting for accept() (ss's Recv-Q). */
  readonly recvQ: number;
  /** 0 for a socket no file descriptor holds (TIME-WAIT, or queued and not yet accepted). */
  readonly inode: number;
}

function endpoint(field: string): Endpoint {
  const [hex = '', port = '0'] = field.split(':');
  return { address: decodeProcAddress(hex), port: parseInt(port, 16) };
}

export function parseTcpTable(text: string): TcpRow[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length > 9)
    .map((fields) => {
      const [tx = '0', rx = '0'] = fields[4]!.split(':');
      return {
        local: endpoint(fields[1]!),
        remote: endpoint(fields[2]!),
        state: STATES[fields[3]!] ?? fields[3]!,
        sendQ: parseInt(tx, 16),
        recvQ: parseInt(rx, 16),
        inode: Number(fields[9]),
      };
    });
}

/** Every TCP socket the kernel has now (IPv4 and IPv6). */
export function tcpTable(): TcpRow[] {
  const rows: TcpRow[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      rows.push(...parseTcpTable(fs.readFileSync(file, 'utf8')));
    } catch {
      // no IPv6 on this machine
    }
  }
  return rows;
}

/** What the command needs to read the kernel's view; undefined when it has it. */
export function missingKernelView(platform: string = process.platform, procMounted = hasProc): string | undefined {
  if (platform !== 'linux') return `npm run observe needs Linux: it checks your answers against /proc/net/tcp and /proc/PID/fd, which ${platform} does not have`;
  if (!procMounted) return 'npm run observe needs /proc (with /proc/net/tcp) mounted: it checks your answers against the kernel\'s socket table there';
  return undefined;
}

/** The processes with a file descriptor on socket `inode`, from /proc/PID/fd. */
export function pidsHoldingInode(inode: number): number[] {
  if (inode === 0) return [];
  const target = `socket:[${inode}]`;
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return pids;
  }
  for (const entry of entries) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        if (fs.readlinkSync(`/proc/${entry}/fd/${fd}`) === target) {
          pids.push(Number(entry));
          break;
        }
      } catch {
        // the fd closed while we looked
      }
    }
  }
  return pids;
}

export function formatEndpoint({ address, port }: Endpoint): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** One row the way `ss -tan` lays it out, to show the learner what the kernel shows. */
export function formatRow(row: TcpRow): string {
  // A listener's backlog (ss's Send-Q for it) is not in /proc/net/tcp, so it is not shown.
  if (row.state === 'LISTEN') return `LISTEN     Recv-Q ${String(row.recvQ).padEnd(8)} (waiting for accept())   ${formatEndpoint(row.local)}`;
  return `${row.state.padEnd(10)} Recv-Q ${String(row.recvQ).padEnd(8)} Send-Q ${String(row.sendQ).padEnd(8)} ${formatEndpoint(row.local)} -> ${formatEndpoint(row.remote)}`;
}
