// The child processes `npm run observe` sets sockets up in, so the learner has PIDs to find:
// a plain listener, and a holder that listens with a small backlog and then blocks its own
// event loop, so the kernel queues connections that nobody ever accept()s. Each child is plain
// CommonJS (no TypeScript to compile), says one JSON line when its sockets are ready, and ends
// by itself when the grader is gone or its lifetime is over, so none outlives a killed grader.
import { spawn, type ChildProcess } from 'node:child_process';
import { withDeadline } from '../run/deadline.ts';

const PLAIN_LISTENER = `
const net = require('node:net');
const { host, port, lifetimeMs } = JSON.parse(process.env.OBSERVE_CHILD);
const server = net.createServer((conn) => { conn.resume(); conn.on('error', () => {}); });
server.once('error', (error) => { process.stdout.write(JSON.stringify({ error: String(error.code || error) }) + '\\n'); process.exit(1); });
server.listen({ host, port, exclusive: true }, () => process.stdout.write(JSON.stringify({ ready: true }) + '\\n'));
// stdin is a pipe from the grader: it ends when the grader does, whatever killed it.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
setTimeout(() => process.exit(0), lifetimeMs);
`;

// Atomics.wait blocks the event loop, so libuv never calls accept() and never reads: the
// kernel alone answers. It wakes twice a second only to see whether the grader is gone.
const BLOCKED_HOLDER = `
const net = require('node:net');
const { host, port, backlog, connectTo, lifetimeMs } = JSON.parse(process.env.OBSERVE_CHILD);
const parent = process.ppid;
const fail = (error) => { process.stdout.write(JSON.stringify({ error: String(error.code || error) }) + '\\n'); process.exit(1); };
const server = net.createServer();
server.once('error', fail);
server.listen({ host, port, backlog, exclusive: true }, () => {
  if (!connectTo) return block({ ready: true });
  const client = net.connect({ host, port: connectTo, localAddress: host });
  client.once('error', fail);
  client.once('connect', () => block({ ready: true, clientPort: client.localPort }));
});
function block(message) {
  process.stdout.write(JSON.stringify(message) + '\\n');
  const end = Date.now() + lifetimeMs;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < end && process.ppid === parent) Atomics.wait(cell, 0, 0, 500);
  process.exit(0);
}
`;

export interface ChildReady {
  readonly ready?: boolean;
  readonly clientPort?: number;
  readonly error?: string;
}

export interface HeldChild {
  readonly pid: number;
  readonly ready: ChildReady;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// Last resort on any exit path (Ctrl-C included): the kill is synchronous.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function firstLine(child: ChildProcess): Promise<ChildReady> {
  return new Promise((resolve, reject) => {
    let text = '';
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end >= 0) resolve(JSON.parse(text.slice(0, end)) as ChildReady);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`the holder process ended (${signal ?? `exit code ${code}`}) before its sockets were ready${errors ? `: ${errors.trim()}` : ''}`)));
  });
}

async function startChild(source: string, settings: object, what: string, readyMs: number): Promise<HeldChild> {
  const child = spawn(process.execPath, ['-e', source], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', OBSERVE_CHILD: JSON.stringify(settings) },
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await withDeadline(exited, 5000, `${what} (PID ${child.pid}) to end after SIGKILL`);
    running.delete(child);
  };
  try {
    const ready = await withDeadline(firstLine(child), readyMs, `${what} to say its sockets are ready`);
    if (!ready.ready) throw new Error(`${what} could not set up its sockets: ${ready.error ?? 'no reason given'}`);
    return { pid: child.pid!, ready, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A child process listening on host:port (it accepts, and reads whatever comes). */
export function startPlainListener(host: string, port: number, lifetimeMs: number, readyMs: number): Promise<HeldChild> {
  return startChild(PLAIN_LISTENER, { host, port, lifetimeMs }, `the listener process for ${host}:${port}`, readyMs);
}

/**
 * A child process that listens on host:port with `backlog` and never accepts; with `connectTo`
 * it also connects to host:connectTo first and then never reads from that connection.
 */
export function startBlockedHolder(host: string, port: number, backlog: number, connectTo: number | undefined, lifetimeMs: number, readyMs: number): Promise<HeldChild> {
  return startChild(BLOCKED_HOLDER, { host, port, backlog, connectTo, lifetimeMs }, `the never-accepting process for ${host}:${port}`, readyMs);
}
