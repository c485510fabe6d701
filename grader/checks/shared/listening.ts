// Starting a learner's server and connecting to it, with a diagnosis when it listens
// somewhere else than HOST:PORT (a hard-coded port, 0.0.0.0, "localhost").
import fs from 'node:fs';
import path from 'node:path';
import { DeadlineError, pollUntil } from '../../run/deadline.ts';
import { hasProc, socketsOf, type KernelSocket } from '../../run/proc.ts';
import type { RunningProgram } from '../../run/program.ts';
import type { TcpPeer } from '../../net/tcp-peer.ts';
import { fail, withFact, type CheckContext, type StartOptions } from '../check.ts';
import { listeningDiagnoses as diagnoses } from './diagnoses.ts';

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const WILDCARDS = new Set(['0.0.0.0', '::']);
/** The guide's port, the default a learner hard-codes. */
const GUIDE_PORT = 65432;

/** What the program has bound, per the kernel (Linux); empty where that cannot be seen. */
export function boundSockets(program: RunningProgram, kind: 'tcp' | 'udp'): KernelSocket[] {
  if (!hasProc) return [];
  const protocols = kind === 'tcp' ? (['tcp', 'tcp6'] as const) : (['udp', 'udp6'] as const);
  return socketsOf(program.leftovers(), protocols, program.stdioSockets).filter(
    (socket) => socket.protocol.startsWith(kind) && (kind === 'udp' || socket.state === 'LISTEN'),
  );
}

/** Linux: the program's listening TCP sockets, as soon as it has one (empty once it exits or `hopeless` says so, after `ms`, or elsewhere). */
async function firstListeningSockets(program: RunningProgram, ms: number, hopeless: () => boolean): Promise<KernelSocket[]> {
  if (!hasProc) return [];
  const probe = () => {
    const sockets = boundSockets(program, 'tcp');
    return sockets.length > 0 || !program.running || hopeless() ? sockets : undefined;
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

/**
 * listen(HOST, PORT), arguments swapped: Node takes the string for the path of a Unix socket, so
 * a socket file named like HOST appears in the program's folder (or, where the folder is read-only,
 * the listen fails naming it).
 */
function listenedOnHostAsPath(context: CheckContext, program: RunningProgram): boolean {
  try {
    if (fs.statSync(path.join(context.lessonDir, context.host)).isSocket()) return true;
  } catch {
    // No such file: look at what the program said.
  }
  return program.stderr.text.split('\n').some((line) => /\blisten E[A-Z]+\b/.test(line) && line.includes(context.host) && !line.includes(`${context.host}:`));
}

/** Explains a server that never became reachable on HOST:PORT. */
export function diagnoseNotListening(context: CheckContext, program: RunningProgram, port: number, kind: 'tcp' | 'udp', cause: Error): never {
  const elsewhere = boundSockets(program, kind);
  const expected = `${kind === 'tcp' ? 'listening' : 'bound'} on ${hostPort(context.host, port)} (HOST and PORT from the environment)`;
  if (kind === 'tcp' && listenedOnHostAsPath(context, program)) {
    fail(`${program.label} listens on a Unix socket named ${JSON.stringify(context.host)}, not on ${hostPort(context.host, port)}`, {
      expected,
      actual: `a socket file ${context.host} in its folder`,
      diagnosis: diagnoses['listen-arguments-swapped'],
    });
  }
  if (elsewhere.length > 0) {
    const actual = elsewhere.map((socket) => hostPort(socket.address, socket.port)).join(', ');
    const wrongPort = elsewhere.every((socket) => socket.port !== port);
    fail(`${program.label} is ${kind === 'tcp' ? 'listening' : 'bound'} on ${actual}, not on ${hostPort(context.host, port)}`, {
      expected,
      actual,
      diagnosis: wrongPort ? wrongPortDiagnosis(elsewhere, kind) : diagnoses['hard-coded-host'],
    });
  }
  throw cause;
}

/** Every address and a port of the kernel's choosing: listen() or bind() given neither; else a port of its own. */
function wrongPortDiagnosis(bound: readonly KernelSocket[], kind: 'tcp' | 'udp') {
  const guidePort = bound.some((socket) => socket.port === GUIDE_PORT);
  if (bound.every((socket) => WILDCARDS.has(socket.address)) && !guidePort) {
    return withFact(diagnoses['listens-without-arguments'], `It ${kind === 'tcp' ? 'listens' : 'is bound'} on every address, port ${bound[0]!.port}.`);
  }
  return diagnoses['hard-coded-port'];
}

/** Starts `file` on a fresh port and connects once it listens; that connection is returned for use. */
export async function startServerAndConnect(
  context: CheckContext,
  file: string,
  options: StartOptions & { readonly client?: string; readonly localAddress?: string } = {},
): Promise<{ program: RunningProgram; port: number; peer: TcpPeer }> {
  const port = options.port ?? (await context.freePort());
  const program = context.start(file, { ...options, port });
  const started = Date.now();
  const waitMs = context.ms(8000);
  // A one-client server closes its listening socket the moment it accepts, so what it
  // bound must be read before the grader connects: afterwards only the connection is left.
  const listening = await firstListeningSockets(program, waitMs, () => listenedOnHostAsPath(context, program));
  assertBoundExactly(context, program, port, 'tcp', listening.filter((socket) => socket.port === port));
  let peer: TcpPeer;
  try {
    // Once it has listened elsewhere for a while, waiting longer will not help.
    const listensElsewhereSince = Date.now() + context.ms(1500);
    const giveUp = () =>
      listenedOnHostAsPath(context, program) ||
      (Date.now() > listensElsewhereSince && boundSockets(program, 'tcp').some((socket) => socket.port !== port || socket.address !== context.host));
    const deadlineMs = Math.max(context.ms(1000), waitMs - (Date.now() - started));
    peer = await context.connect(port, { name: options.client ?? 'client-1', program, deadlineMs, giveUp, localAddress: options.localAddress });
  } catch (error) {
    // Report the whole wait, the /proc poll included.
    const cause = error instanceof DeadlineError ? new DeadlineError(error.waitedFor, Date.now() - started) : (error as Error);
    diagnoseNotListening(context, program, port, 'tcp', cause);
  }
  assertBoundExactly(context, program, port, 'tcp');
  return { program, port, peer };
}
