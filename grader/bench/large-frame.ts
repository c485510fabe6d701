// Lesson 3's reference server with large frames: how long one 64 MiB frame takes to come back
// reversed, and how far the server's memory grows while a client sends frames and never reads
// (a server that stops reading on a full send queue stays flat). Loopback only.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { compileProgram } from '../run/compile.ts';
import { DeadlineError, settledWithin } from '../run/deadline.ts';
import { solutionsRoot } from '../paths.ts';
import { freePort, HOST, residentKiB, startNode, stop } from './servers.ts';

const FRAME_BYTES = 64 * 1024 * 1024;
const FLOOD_MS = 3000;
const DEADLINE_MS = 60_000;

export interface LargeFrameFigures {
  readonly frameMiB: number;
  /** From the first byte sent to the last byte of the reply received. */
  readonly roundTripMs: number;
  /** The server's resident memory before, and its growth while a client sent for FLOOD_MS without reading. */
  readonly idleMiB?: number;
  readonly growthWhileNotReadMiB?: number;
  /** What the non-reading client managed to send meanwhile. */
  readonly sentWhileNotReadMiB: number;
}

function frame(payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length);
  return Buffer.concat([header, payload]);
}

async function roundTrip(port: number): Promise<number> {
  const socket = net.connect(port, HOST);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const started = performance.now();
  let received = 0;
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineError(`the ${FRAME_BYTES}-byte reply from ${HOST}:${port}`, DEADLINE_MS)), DEADLINE_MS);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= FRAME_BYTES + 4) (clearTimeout(timer), resolve());
    });
  });
  socket.write(frame(Buffer.alloc(FRAME_BYTES, 0x5a)));
  await done;
  socket.destroy();
  return performance.now() - started;
}

/** Sends 1 MiB frames for FLOOD_MS without reading a byte; how much it got to send. */
async function floodWithoutReading(port: number): Promise<number> {
  const socket = net.connect(port, HOST);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.pause();
  const payload = frame(Buffer.alloc(1024 * 1024, 0x61));
  const until = Date.now() + FLOOD_MS;
  let sent = 0;
  while (Date.now() < until) {
    if (socket.write(payload)) {
      sent += payload.length;
      continue;
    }
    sent += payload.length;
    const drained = await settledWithin(new Promise<boolean>((resolve) => socket.once('drain', () => resolve(true))), until - Date.now());
    if (!drained) break;
  }
  socket.destroy();
  return sent;
}

export async function measureLargeFrame(): Promise<LargeFrameFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-frame-'));
  const children: Awaited<ReturnType<typeof startNode>>[] = [];
  try {
    const lessonDir = path.join(solutionsRoot, '03-framing');
    const compiled = await compileProgram(path.join(lessonDir, 'server.ts'), lessonDir, dir);
    if (!compiled.ok) throw new Error('the lesson 3 reference server does not compile');
    const port = await freePort();
    const server = await startNode(compiled.outfile, port, 'the lesson 3 reference server');
    children.push(server);
    const ms = await roundTrip(port);
    const before = residentKiB(server.pid!);
    const sent = await floodWithoutReading(port);
    const after = residentKiB(server.pid!);
    const mib = (kib: number) => Math.round(kib / 1024);
    return {
      frameMiB: FRAME_BYTES / (1024 * 1024),
      roundTripMs: Math.round(ms),
      idleMiB: before === undefined ? undefined : mib(before),
      growthWhileNotReadMiB: before === undefined || after === undefined ? undefined : mib(after - before),
      sentWhileNotReadMiB: Math.round(sent / (1024 * 1024)),
    };
  } finally {
    await Promise.all(children.map(stop));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
