// Lesson 5's reference server under load: N connections held open at once, each answered; the
// round trip of each (p50, p99), the server's memory per connection, and its throughput on one
// connection as a ratio of a bare socket.pipe(socket) echo measured in the same run. Loopback only.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { compileProgram } from '../run/compile.ts';
import { DeadlineError } from '../run/deadline.ts';
import { solutionsRoot } from '../paths.ts';
import { median } from './measure.ts';
import { freePort, HOST, residentKiB, startNode, stop } from './servers.ts';

/** Connects in flight at once: below the server's accept backlog (511), so none is dropped. */
const CONNECT_BATCH = 256;
const THROUGHPUT_BYTES = 32 * 1024 * 1024;
const LINE_BYTES = 1024;
const DEADLINE_MS = 60_000;

export interface LoadFigures {
  readonly connections: number;
  readonly opened: number;
  readonly answered: number;
  /** Why fewer than `connections` were opened (EMFILE: ulimit -n), if they were. */
  readonly limit?: string;
  readonly roundTripMs: { readonly p50: number; readonly p99: number };
  /** Growth of the server's resident memory with every connection open, per connection. */
  readonly kibPerConnection?: number;
  readonly throughputMiBs: number;
  readonly pipeMiBs: number;
  /** throughputMiBs / pipeMiBs. */
  readonly ratioToPipe: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Opens up to `count` connections, CONNECT_BATCH at a time; stops at the first error (EMFILE, …). */
async function openConnections(port: number, count: number): Promise<{ sockets: net.Socket[]; limit?: string }> {
  const sockets: net.Socket[] = [];
  while (sockets.length < count) {
    const batch = Math.min(CONNECT_BATCH, count - sockets.length);
    const results = await Promise.all(
      Array.from({ length: batch }, () =>
        new Promise<net.Socket | string>((resolve) => {
          const socket = net.connect(port, HOST);
          socket.once('connect', () => resolve(socket));
          socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
        }),
      ),
    );
    for (const result of results) if (typeof result !== 'string') sockets.push(result);
    const failed = results.find((result): result is string => typeof result === 'string');
    if (failed) return { sockets, limit: failed === 'EMFILE' ? 'EMFILE: raise the open-file limit (ulimit -n)' : failed };
  }
  return { sockets };
}

/** Sends one line on every socket at once; the round trip of each until its whole answer is back. */
async function answerEach(sockets: readonly net.Socket[]): Promise<number[]> {
  const times = await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<number | undefined>((resolve) => {
          const started = performance.now();
          let got = '';
          const timer = setTimeout(() => resolve(undefined), DEADLINE_MS);
          socket.on('data', (chunk: Buffer) => {
            got += chunk.toString('latin1');
            if (got.endsWith('\n')) {
              clearTimeout(timer);
              resolve(got === '1 ping\n' ? performance.now() - started : undefined);
            }
          });
          socket.once('error', () => (clearTimeout(timer), resolve(undefined)));
          socket.write('ping\n');
        }),
    ),
  );
  return times.filter((time): time is number => time !== undefined);
}

/** MiB/s through one connection: THROUGHPUT_BYTES of lines out, `expectedBack` bytes back. */
async function throughput(port: number, expectedBack: number): Promise<number> {
  const socket = net.connect(port, HOST);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const line = Buffer.alloc(LINE_BYTES, 0x61);
  line[LINE_BYTES - 1] = 0x0a;
  const started = performance.now();
  let received = 0;
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineError(`${expectedBack} bytes back from ${HOST}:${port}`, DEADLINE_MS)), DEADLINE_MS);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= expectedBack) (clearTimeout(timer), resolve());
    });
  });
  for (let sent = 0; sent < THROUGHPUT_BYTES; sent += LINE_BYTES) {
    if (!socket.write(line)) await new Promise((resolve) => socket.once('drain', resolve));
  }
  await done;
  socket.destroy();
  return THROUGHPUT_BYTES / (1024 * 1024) / ((performance.now() - started) / 1000);
}

/** What the lesson 5 server sends back for THROUGHPUT_BYTES of lines: each line with "N " before it. */
function answeredBytes(): number {
  let total = 0;
  for (let n = 1; n <= THROUGHPUT_BYTES / LINE_BYTES; n++) total += LINE_BYTES + String(n).length + 1;
  return total;
}

export async function measureManyConnections(connections: number): Promise<LoadFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-load-'));
  const children: ChildProcess[] = [];
  try {
    const lessonDir = path.join(solutionsRoot, '05-multiplexing');
    const compiled = await compileProgram(path.join(lessonDir, 'server.ts'), lessonDir, dir);
    if (!compiled.ok) throw new Error('the lesson 5 reference server does not compile');
    const pipeFile = path.join(dir, 'pipe-echo.mjs');
    fs.writeFileSync(pipeFile, "import net from 'node:net';\nnet.createServer((s) => s.pipe(s)).listen(Number(process.env.PORT), process.env.HOST);\n");

    const port = await freePort();
    const server = await startNode(compiled.outfile, port, 'the lesson 5 reference server');
    children.push(server);
    const before = residentKiB(server.pid!);
    const { sockets, limit } = await openConnections(port, connections);
    const times = (await answerEach(sockets)).sort((a, b) => a - b);
    const after = residentKiB(server.pid!);
    for (const socket of sockets) socket.destroy();
    const mibs = await throughput(port, answeredBytes());

    const pipePort = await freePort();
    children.push(await startNode(pipeFile, pipePort, 'the socket.pipe(socket) echo'));
    const pipeMibs = await throughput(pipePort, THROUGHPUT_BYTES);

    return {
      connections,
      opened: sockets.length,
      answered: times.length,
      limit,
      roundTripMs: { p50: Math.round(median(times) * 10) / 10, p99: Math.round(percentile(times, 99) * 10) / 10 },
      kibPerConnection: before !== undefined && after !== undefined && sockets.length ? Math.round(((after - before) / sockets.length) * 10) / 10 : undefined,
      throughputMiBs: Math.round(mibs),
      pipeMiBs: Math.round(pipeMibs),
      ratioToPipe: Math.round((mibs / pipeMibs) * 100) / 100,
    };
  } finally {
    await Promise.all(children.map(stop));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
