// Lesson 6's watch of the kernel's socket table: how long a program held a connection is proven
// from looks taken on a thread of its own, so a main thread that was blocked meanwhile (a loaded
// machine) still sees the whole hold, not the moments before and after it.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { expect, it } from 'vitest';
import type { CheckContext } from '../grader/checks/check.ts';
import { SocketWatch } from '../grader/checks/06-looking-at-sockets/socket-watch.ts';

const linux = process.platform === 'linux';

/** The two parts of a check's context a watch uses. */
function watchContext(cleanups: Array<() => unknown>): CheckContext {
  return { host: '127.0.0.1', onCleanup: (cleanup: () => unknown) => void cleanups.push(cleanup) } as unknown as CheckContext;
}

it.runIf(linux)('proves a connection held for 800 ms while the main thread was blocked the whole time', async () => {
  const server = net.createServer((socket) => socket.resume());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const cleanups: Array<() => unknown> = [];
  try {
    const watch = await SocketWatch.start(watchContext(cleanups), port, 'HELD');
    expect(watch.readable).toBe(true);
    const holder = spawn(process.execPath, ['-e', `
      process.stdin.once('data', () => {
        const socket = require('node:net').connect(${port}, '127.0.0.1', () => setTimeout(() => process.exit(0), 800));
      });
      console.log('ready');
    `], { stdio: ['pipe', 'pipe', 'ignore'] });
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    await new Promise((resolve) => holder.stdout.once('data', resolve));
    holder.stdin.end('go');
    // Blocked past the holder's whole connection: a look on this thread would see none of it.
    const until = Date.now() + 1500;
    while (Date.now() < until);
    await exited;
    await watch.stop();
    expect(watch.longestProvenMs()).toBeGreaterThan(600);
    expect(watch.longestProvenMs()).toBeLessThan(1500);
    expect(watch.first!.firstSeenAt).toBeLessThan(until);
  } finally {
    for (const cleanup of cleanups) await cleanup();
    server.close();
  }
});

it.runIf(linux)('ignores the sockets there when it starts, and sees one connected after, when asked to look now', async () => {
  const server = net.createServer((socket) => socket.resume());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const before = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => before.once('connect', resolve));
  const cleanups: Array<() => unknown> = [];
  try {
    const watch = await SocketWatch.start(watchContext(cleanups), port, 'HELD');
    expect(await watch.lookNow()).toBe(false);
    const after = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => after.once('connect', resolve));
    expect(await watch.lookNow()).toBe(true);
    const local = after.localPort!;
    after.destroy();
    await watch.stop();
    expect([...watch.sightings.keys()]).toEqual([`0100007F:${local.toString(16).toUpperCase().padStart(4, '0')}`]);
  } finally {
    for (const cleanup of cleanups) await cleanup();
    before.destroy();
    server.close();
  }
});
