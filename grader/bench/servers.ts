// Starting a reference program for a benchmark, and what the benchmarks read of it: on
// loopback only, with nothing but PATH, HOST and PORT in its environment.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { pollUntil } from '../run/deadline.ts';
import { freePort as claimFreePort } from '../run/ports.ts';
import { hasProc, residentBytes } from '../run/proc.ts';

export const HOST = '127.0.0.1';

/** Resident memory of a process in KiB: /proc where there is one, else ps (macOS). */
export function residentKiB(pid: number): number | undefined {
  if (hasProc) return residentBytes(pid) / 1024 || undefined;
  try {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** A free port on HOST, claimed like the grader's (released when this process exits). */
export const freePort = (): Promise<number> => claimFreePort(HOST);

const accepts = (port: number) =>
  new Promise<true | undefined>((resolve) => {
    const socket = net.connect(port, HOST, () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(undefined));
  });

export async function startNode(file: string, port: number, what: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [file], { env: { PATH: process.env.PATH ?? '', HOST, PORT: String(port) }, stdio: 'ignore' });
  await pollUntil(() => accepts(port), 10_000, `${what} to listen on ${HOST}:${port}`);
  return child;
}

export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

