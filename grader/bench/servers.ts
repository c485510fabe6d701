// Starting a reference program for a benchmark, and what the benchmarks read of it: on
// loopback only, with nothing but PATH, HOST and PORT in its environment.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { DeadlineError } from '../run/deadline.ts';

export const HOST = '127.0.0.1';

export function residentKiB(pid: number): number | undefined {
  try {
    if (fs.existsSync(`/proc/${pid}/status`)) {
      const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
      return line ? Number(line.split(/\s+/)[1]) : undefined;
    }
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
  } catch {
    return undefined;
  }
}

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, HOST, resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Resolves once something accepts on HOST:port, polling until `deadline`. */
async function untilListening(port: number, what: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, HOST, () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() - started > 10_000) throw new DeadlineError(`${what} to listen on ${HOST}:${port}`, Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startNode(file: string, port: number, what: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [file], { env: { PATH: process.env.PATH ?? '', HOST, PORT: String(port) }, stdio: 'ignore' });
  await untilListening(port, what);
  return child;
}

export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

