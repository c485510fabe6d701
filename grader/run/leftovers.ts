// After a lesson every program is stopped; this looks at the kernel's own list of sockets for
// anything still bound on the run's host and ports, whoever holds it (a child that called
// setsid and scrubbed its environment included), so "frees every port" is a fact, not a hope.
import { commandLineOf, hasProc, socketOwners, type KernelSocket } from './proc.ts';

export interface LeftSocket {
  readonly pid: number;
  readonly command: string;
  readonly socket: string;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '::ffff:0.0.0.0']);
const HELD_STATES = new Set(['LISTEN', 'UNCONN', 'ESTABLISHED']);

function isRunSocket(socket: KernelSocket, host: string, ports: readonly number[]): boolean {
  if (!HELD_STATES.has(socket.state) || !ports.includes(socket.port)) return false;
  return socket.address === host || socket.address === `::ffff:${host}` || WILDCARDS.has(socket.address);
}

export function formatAddress(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Processes other than the grader that still hold a socket on one of the run's ports. */
export function socketsLeftBehind(host: string, ports: readonly number[]): LeftSocket[] {
  if (!hasProc || ports.length === 0) return [];
  return socketOwners((socket) => isRunSocket(socket, host, ports))
    .filter((owned) => owned.pid !== process.pid)
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
