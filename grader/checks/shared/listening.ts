// Starting a learner's server and connecting to it, with a diagnosis when it listens
// somewhere else than HOST:PORT (a hard-coded port, 0.0.0.0, "localhost").
import { DeadlineError, pollUntil } from '../../run/deadline.ts';
import { hasProc, socketsOf, type KernelSocket } from '../../run/proc.ts';
import type { RunningProgram } from '../../run/program.ts';
import type { TcpPeer } from '../../net/tcp-peer.ts';
import { fail, type CheckContext, type StartOptions } from '../check.ts';
import { listeningDiagnoses as diagnoses } from './diagnoses.ts';

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

/** What the program has bound, per the kernel (Linux); empty where that cannot be seen. */
export function boundSockets(program: RunningProgram, kind: 'tcp' | 'udp'): KernelSocket[] {
  if (!hasProc) return [];
  return socketsOf(program.leftovers()).filter(
    (socket) => socket.protocol.startsWith(kind) && (kind === 'udp' || socket.state === 'LISTEN'),
  );
}

/** Linux: the program's listening TCP sockets, as soon as it has one (empty once it exits, after `ms`, or elsewhere). */
async function firstListeningSockets(program: RunningProgram, ms: number): Promise<KernelSocket[]> {
  if (!hasProc) return [];
  const probe = () => {
    const sockets = boundSockets(program, 'tcp');
    return sockets.length > 0 || !program.running ? sockets : undefined;
  };
  return pollUntil(probe, ms, `${program.label} to listen`).catch(() => []);
}

/** Fails with a precise message when the program listens, but not on HOST:PORT alone. */
export function assertBoundExactly(
  context: CheckContext,
  program: RunningProgram,
  port: number,
  kind: 'tcp' | 'udp',
  sockets: readonly KernelSocket[] = boundSockets(program, kind),
): void {
  const wildcard = sockets.find((socket) => WILDCARDS.has(socket.address));
  if (wildcard) {
    fail(`${program.label} is bound to ${hostPort(wildcard.address, wildcard.port)}: every address of the machine, not only HOST`, {
      expected: `bound to ${hostPort(context.host, port)} only`,
      actual: `bound to ${hostPort(wildcard.address, wildcard.port)}`,
      diagnosis: kind === 'tcp' ? diagnoses['listens-on-every-address'] : diagnoses['binds-every-address'],
    });
  }
}

/** Explains a server that never became reachable on HOST:PORT. */
export function diagnoseNotListening(context: CheckContext, program: RunningProgram, port: number, kind: 'tcp' | 'udp', cause: Error): never {
  const elsewhere = boundSockets(program, kind);
  const expected = `${kind === 'tcp' ? 'listening' : 'bound'} on ${hostPort(context.host, port)} (HOST and PORT from the environment)`;
  if (elsewhere.length > 0) {
    const actual = elsewhere.map((socket) => hostPort(socket.address, socket.port)).join(', ');
    const wrongPort = elsewhere.every((socket) => socket.port !== port);
    fail(`${program.label} is ${kind === 'tcp' ? 'listening' : 'bound'} on ${actual}, not on ${hostPort(context.host, port)}`, {
      expected,
      actual,
      diagnosis: wrongPort ? diagnoses['hard-coded-port'] : diagnoses['hard-coded-host'],
    });
  }
  throw cause;
}

/** Starts `file` on a fresh port and connects once it listens; that connection is returned for use. */
export async function startServerAndConnect(
  context: CheckContext,
  file: string,
  options: StartOptions & { readonly client?: string } = {},
): Promise<{ program: RunningProgram; port: number; peer: TcpPeer }> {
  const port = options.port ?? (await context.freePort());
  const program = context.start(file, { ...options, port });
  const started = Date.now();
  const waitMs = context.ms(8000);
  // A one-client server closes its listening socket the moment it accepts, so what it
  // bound must be read before the grader connects: afterwards only the connection is left.
  const listening = await firstListeningSockets(program, waitMs);
  assertBoundExactly(context, program, port, 'tcp', listening.filter((socket) => socket.port === port));
  let peer: TcpPeer;
  try {
    // Once it has listened elsewhere for a while, waiting longer will not help.
    const listensElsewhereSince = Date.now() + context.ms(1500);
    const giveUp = () => Date.now() > listensElsewhereSince && boundSockets(program, 'tcp').some((socket) => socket.port !== port || socket.address !== context.host);
    const deadlineMs = Math.max(context.ms(1000), waitMs - (Date.now() - started));
    peer = await context.connect(port, { name: options.client ?? 'client-1', program, deadlineMs, giveUp });
  } catch (error) {
    // Report the whole wait, the /proc poll included.
    const cause = error instanceof DeadlineError ? new DeadlineError(error.waitedFor, Date.now() - started) : (error as Error);
    diagnoseNotListening(context, program, port, 'tcp', cause);
  }
  assertBoundExactly(context, program, port, 'tcp');
  return { program, port, peer };
}
