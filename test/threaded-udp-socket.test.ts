// The socket lesson 4 times a client's tries with: a datagram is stamped when it arrived, also
// while the grader's main thread is busy (on a loaded machine, a main thread scheduled out reads
// a backlog late, and tries 30 ms apart look like copies sent together).
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { expect, it } from 'vitest';
import { ThreadedUdpSocket } from '../grader/net/threaded-udp-socket.ts';
import { pollUntil } from '../grader/run/deadline.ts';

it('stamps each datagram when it arrived, though the main thread was blocked meanwhile', async () => {
  const socket = await ThreadedUdpSocket.open('127.0.0.1', 0);
  const stamps: number[] = [];
  socket.onMessage(({ at }) => stamps.push(at));
  try {
    // Five datagrams 30 ms apart (a timer only ever fires late, so never closer), from another process.
    const sender = spawn(process.execPath, ['-e', `
      const s = require('node:dgram').createSocket('udp4');
      let n = 0;
      const next = () => s.send('try ' + n, ${socket.port}, '127.0.0.1', () => (++n < 5 ? setTimeout(next, 30) : s.close()));
      process.stdin.once('data', next);
      console.log('ready');
    `], { stdio: ['pipe', 'pipe', 'ignore'] });
    const exited = new Promise((resolve) => sender.once('exit', resolve));
    await new Promise((resolve) => sender.stdout.once('data', resolve));
    sender.stdin.end('go');
    // Blocked until every datagram has surely been sent: on this thread they all arrive at once, afterwards.
    const until = performance.now() + 1500;
    while (performance.now() < until);
    await exited;
    await pollUntil(() => (stamps.length === 5 ? true : undefined), 5000, 'the five datagrams');
    const gaps = stamps.slice(1).map((at, i) => at - stamps[i]!);
    expect(gaps.filter((gap) => gap > 10).length, `gaps ${gaps.map((gap) => gap.toFixed(1)).join(', ')} ms`).toBeGreaterThanOrEqual(3);
    expect(stamps.every((at) => at < until), 'stamped before the main thread was free again').toBe(true);
  } finally {
    await socket.close();
  }
});

it('sends from its own address, and closes its thread', async () => {
  const socket = await ThreadedUdpSocket.open('127.0.0.1', 0);
  const peer = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve) => peer.bind(0, '127.0.0.1', resolve));
    const reply = new Promise<dgram.RemoteInfo>((resolve) => peer.once('message', (_data, rinfo) => resolve(rinfo)));
    socket.send(Buffer.from('hello'), peer.address().port, '127.0.0.1');
    expect((await reply).port).toBe(socket.port);
  } finally {
    peer.close();
    await socket.close();
  }
  // Its port is free again: the socket and its thread are gone.
  const again = await ThreadedUdpSocket.open('127.0.0.1', socket.port);
  await again.close();
});
