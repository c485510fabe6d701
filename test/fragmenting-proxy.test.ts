// The fragmenting proxy: seeded plans, bytes unchanged in order both ways, FIN passed on,
// and nothing left open after close(). Nothing here asserts on time.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { planSizes } from '../grader/net/fragment-plan.ts';
import { FragmentingProxy } from '../grader/net/fragmenting-proxy.ts';
import { Random } from '../grader/net/random.ts';
import { freePort } from '../grader/run/ports.ts';
import { withDeadline } from '../grader/run/deadline.ts';

const HOST = '127.0.0.1';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An echo server that half-closes after its client does; it tracks its sockets. */
async function echoServer(): Promise<{ port: number; sockets: Set<net.Socket> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  const port = await freePort(HOST);
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  }));
  await new Promise<void>((resolve) => server.listen(port, HOST, resolve));
  return { port, sockets };
}

async function proxyTo(targetPort: number, seed: number, profile: 'mixed' | 'bulk' | 'bytes'): Promise<FragmentingProxy> {
  const proxy = new FragmentingProxy({ host: HOST, port: await freePort(HOST), targetHost: HOST, targetPort, seed, profile });
  cleanups.push(() => proxy.close());
  await proxy.listen();
  return proxy;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port, allowHalfOpen: true }, () => resolve(socket));
    socket.once('error', reject);
    cleanups.push(() => socket.destroy());
  });
}

/** Everything the socket receives until FIN. */
function readAll(socket: net.Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return withDeadline(new Promise((resolve) => socket.once('end', () => resolve(Buffer.concat(chunks)))), 60_000, 'the echo to end');
}

describe('the fragment plan', () => {
  it('gives the same splits for the same seed, and different splits for another', () => {
    for (const profile of ['mixed', 'bulk', 'bytes'] as const) {
      const once = planSizes(42, 'down', 1, 512 * 1024, profile);
      expect(planSizes(42, 'down', 1, 512 * 1024, profile)).toEqual(once);
      expect(planSizes(43, 'down', 1, 512 * 1024, profile)).not.toEqual(once);
      expect(planSizes(42, 'up', 1, 512 * 1024, profile)).not.toEqual(once);
      expect(planSizes(42, 'down', 2, 512 * 1024, profile)).not.toEqual(once);
      expect(once.reduce((sum, size) => sum + size, 0)).toBe(512 * 1024);
    }
  });

  it('mixes 1-byte writes, cuts inside a 4-byte prefix, and pieces that hold many frames', () => {
    const sizes = planSizes(7, 'down', 1, 256 * 1024, 'mixed');
    expect(sizes.filter((size) => size === 1).length).toBeGreaterThan(20);
    expect(sizes.some((size) => size > 1 && size < 4)).toBe(true);
    expect(sizes.some((size) => size >= 4 * 1024)).toBe(true);
    expect(planSizes(7, 'up', 1, 1000, 'bytes').every((size) => size <= 3)).toBe(true);
  });
});

describe('the fragmenting proxy', () => {
  it('passes a few MiB through unchanged, in order, both ways, then the FIN', async () => {
    const echo = await echoServer();
    const proxy = await proxyTo(echo.port, 5, 'bulk');
    const socket = await connect(proxy.port);
    const data = new Random(9).bytes(3 * 1024 * 1024);
    const received = readAll(socket);
    socket.end(data);
    const got = await received;
    expect(got.length).toBe(data.length);
    expect(got.equals(data)).toBe(true);
    const [up, down] = proxy.stats;
    expect(up).toMatchObject({ direction: 'up', bytes: data.length, ended: true });
    expect(down).toMatchObject({ direction: 'down', bytes: data.length, ended: true });
    expect(up!.pieces).toBeGreaterThan(1);
  });

  it('cuts a stream as its plan says when the input arrives all at once', async () => {
    const echo = await echoServer();
    const proxy = await proxyTo(echo.port, 21, 'mixed');
    const socket = await connect(proxy.port);
    const data = new Random(3).bytes(20_000);
    const received = readAll(socket);
    socket.end(data);
    expect((await received).equals(data)).toBe(true);
    const planned = planSizes(21, 'up', 1, data.length, 'mixed');
    // Pieces can only be cut shorter (idle flush), never merged past the plan.
    const [up] = proxy.stats;
    expect(up!.firstSizes[0]).toBeLessThanOrEqual(planned[0]!);
    expect(up!.pieces).toBeGreaterThanOrEqual(planned.length);
  });

  it('keeps every planned cut when the input stalls: a stall adds one cut and shifts none', async () => {
    const echo = await echoServer();
    const proxy = await proxyTo(echo.port, 22, 'mixed');
    const socket = await connect(proxy.port);
    const data = new Random(4).bytes(30_000);
    // Inside a planned piece of several bytes, early enough to be among the sizes the proxy keeps.
    const plan = planSizes(22, 'up', 1, data.length, 'mixed');
    const piece = plan.findIndex((size, i) => i >= 5 && size >= 2);
    const stallAt = plan.slice(0, piece).reduce((a, b) => a + b, 0) + 1;
    const received = readAll(socket);
    socket.write(data.subarray(0, stallAt));
    // Longer than the proxy's idle flush: it writes what it has, cutting one planned piece short.
    await new Promise((resolve) => setTimeout(resolve, 150));
    socket.end(data.subarray(stallAt));
    expect((await received).equals(data)).toBe(true);
    const offsets = (sizes: readonly number[]) => sizes.map((_, i) => sizes.slice(0, i + 1).reduce((a, b) => a + b, 0));
    const [up] = proxy.stats;
    const written = offsets(up!.firstSizes);
    const reach = written.at(-1)!;
    const planned = offsets(planSizes(22, 'up', 1, data.length, 'mixed')).filter((offset) => offset <= reach);
    // Each cut that is not the plan's is a counted stall; the one the test made is among them.
    const unplanned = written.filter((offset) => !planned.includes(offset));
    expect(unplanned).toHaveLength(up!.stallCuts);
    expect(unplanned).toContain(stallAt);
    for (const offset of planned) expect(written).toContain(offset);
  });

  it('passes a half-close through and keeps the other direction open', async () => {
    let serverSide!: net.Socket;
    let clientEnded!: (bytes: Buffer) => void;
    const gotEnd = new Promise<Buffer>((resolve) => (clientEnded = resolve));
    const server = net.createServer({ allowHalfOpen: true }, (socket) => {
      serverSide = socket;
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => clientEnded(Buffer.concat(chunks)));
    });
    const port = await freePort(HOST);
    cleanups.push(() => new Promise<void>((resolve) => {
      serverSide?.destroy();
      server.close(() => resolve());
    }));
    await new Promise<void>((resolve) => server.listen(port, HOST, resolve));
    const proxy = await proxyTo(port, 8, 'bytes');
    const socket = await connect(proxy.port);
    const reply = readAll(socket);
    socket.end('half-closed');
    expect((await withDeadline(gotEnd, 30_000, 'the FIN through the proxy')).toString()).toBe('half-closed');
    // The target got the client's FIN; the way back still works, and its own FIN follows the data.
    serverSide.end('still open');
    expect((await reply).toString()).toBe('still open');
  });

  it('closes the listening socket and every relayed connection on close()', async () => {
    const echo = await echoServer();
    const proxy = await proxyTo(echo.port, 1, 'mixed');
    const socket = await connect(proxy.port);
    socket.write('x');
    await withDeadline(new Promise((resolve) => socket.once('data', resolve)), 10_000, 'the echo of one byte');
    // allowHalfOpen keeps our side open after the proxy's FIN, so wait for the FIN (or a reset).
    const closed = new Promise((resolve) => {
      socket.once('end', resolve);
      socket.once('close', resolve);
    });
    socket.on('error', () => {});
    await proxy.close();
    await withDeadline(closed, 10_000, 'the proxy to close the client side');
    await withDeadline(
      (async () => {
        while (echo.sockets.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      })(),
      10_000,
      'the target side to close',
    );
    await expect(connect(proxy.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
