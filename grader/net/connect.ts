import net from 'node:net';
import { DeadlineError, sleep } from '../run/deadline.ts';
import { describeExit, type RunningProgram } from '../run/program.ts';
import { TcpPeer } from './tcp-peer.ts';
import type { Transcript } from './transcript.ts';

/** The learner's program ended before it did what the grader was waiting for. */
export class ProgramExitedError extends Error {
  constructor(
    readonly program: RunningProgram,
    readonly waitedFor: string,
  ) {
    super(`${program.label} ${describeExit(program.exit!)} before ${waitedFor}`);
    this.name = 'ProgramExitedError';
  }
}

function connectOnce(host: string, port: number, localAddress?: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, ...(localAddress ? { localAddress } : {}) });
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  readonly name: string;
  /** The source address to connect from (a loopback address), else the kernel's choice. */
  readonly localAddress?: string;
  readonly transcript: Transcript;
  readonly deadlineMs: number;
  /** If given, waiting stops as soon as this program exits. */
  readonly program?: RunningProgram;
  /** Checked between attempts: a reason to stop waiting early (it listens elsewhere). */
  readonly giveUp?: () => boolean;
}

/**
 * Readiness by polling a connect with backoff, never a fixed sleep. The connection that
 * succeeds is returned for use: a server that accepts only one client gets exactly one.
 */
export async function connectWhenListening(options: ConnectOptions): Promise<TcpPeer> {
  const { host, port, name, transcript, deadlineMs, program, giveUp, localAddress } = options;
  const where = net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
  const waitedFor = `${program?.label ?? 'the server'} to listen on ${where}`;
  const end = Date.now() + deadlineMs;
  let delay = 10;
  let lastCode = '';
  for (;;) {
    if (program && !program.running) throw new ProgramExitedError(program, `it listened on ${where}`);
    try {
      const socket = await connectOnce(host, port, localAddress);
      const peer = new TcpPeer(socket, name, transcript);
      transcript.note(name, `connected to ${where} from ${socket.localAddress}:${socket.localPort}`);
      return peer;
    } catch (error) {
      lastCode = (error as NodeJS.ErrnoException).code ?? String(error);
      if (lastCode !== 'ECONNREFUSED') transcript.note(name, `connect to ${where} failed: ${lastCode}`);
    }
    const left = end - Date.now();
    if (left <= 0 || giveUp?.()) {
      const detail = lastCode ? ` (last attempt: ${lastCode})` : '';
      throw new DeadlineError(`${waitedFor}${detail}`, deadlineMs - Math.max(0, left));
    }
    // Wake early if the program dies while we sleep.
    await Promise.race([sleep(Math.min(delay, left)), program?.exited ?? new Promise(() => {})]);
    delay = Math.min(delay * 2, 200);
  }
}

