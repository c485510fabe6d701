// After a lesson every program is stopped; this looks at the kernel's own list of sockets for
// anything still bound on the run's host and ports, whoever holds it (a child that called
// setsid and scrubbed its environment included), so "frees every port" is a fact, not a hope.
// Only on the wildcard address or a shared host must the holder be one of the run's processes.
import { commandLineOf, hasProc, socketOwners, type KernelSocket } from './proc.ts';

export interface LeftSocket {
  readonly pid: number;
  readonly command: string;
  readonly socket: string;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '::ffff:0.0.0.0']);
const HELD_STATES = new Set(['LISTEN', 'UNCONN', 'ESTABLISHED']);
/** Hosts other gradings and programs use too: a socket there is this run's only if its process is. */
const SHARED_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

function isRunSocket(socket: KernelSocket, host: string, ports: readonly number[]): boolean {
  if (!HELD_STATES.has(socket.state) || !ports.includes(socket.port)) return false;
  return socket.address === host || socket.address === `::ffff:${host}` || WILDCARDS.has(socket.address);
}

/**
 * Whether a socket on the run's host and ports is this run's doing. A process the run started
 * always counts. Anyone else counts only on the run's own seeded host: every UDP client on the
 * machine binds the wildcard address on an ephemeral port, which may be one of this run's, and
 * a concurrent grading's program must never be killed for it.
 */
function heldByRun(socket: KernelSocket & { readonly pid: number }, host: string, ownPids: ReadonlySet<number>): boolean {
  if (ownPids.has(socket.pid)) return true;
  return !SHARED_HOSTS.has(host) && (socket.address === host || socket.address === `::ffff:${host}`);
}

export function formatAddress(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Processes other than the grader that still hold a socket on one of the run's ports. */
export function socketsLeftBehind(host: string, ports: readonly number[], ownPids: ReadonlySet<number> = new Set()): LeftSocket[] {
  if (!hasProc || ports.length === 0) return [];
  return socketOwners((socket) => isRunSocket(socket, host, ports))
    .filter((owned) => owned.pid !== process.pid && heldByRun(owned, host, ownPids))
    .map((owned) => ({
      pid: owned.pid,
      command: commandLineOf(owned.pid),
      socket: `${owned.protocol} ${formatAddress(owned.address, owned.port)} (${owned.state})`,
    }));
}

/** Ends what was left; the caller reports it as the learner's program's failure. */
export function killLeftovers(left: readonly LeftSocket[]): void {
  for (const pid of new Set(left.map((entry) => entry.pid))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
