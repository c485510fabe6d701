// The lossy UDP link: its plan is a pure function of the seed, its rates are what they
// claim, and a live proxy forwards, counts and closes everything it opened.
import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { Transcript } from '../grader/net/transcript.ts';
import { LOSSY, planDatagram, UdpProxy, type Direction, type Fate } from '../grader/net/udp-proxy.ts';
import { UdpPeer } from '../grader/net/udp-peer.ts';
import { pollUntil } from '../grader/run/deadline.ts';
import { freePort } from '../grader/run/ports.ts';
import { kernelSockets } from '../grader/run/proc.ts';

const plan = (seed: number, direction: Direction, count: number): Fate[] =>
  Array.from({ length: count }, (_, index) => planDatagram(seed, direction, index));

describe('the lossy link plan', () => {
  it('is the same for the same seed, direction and index', () => {
    expect(plan(42, 'up', 300)).toEqual(plan(42, 'up', 300));
    expect(planDatagram(42, 'down', 17)).toEqual(planDatagram(42, 'down', 17));
  });

  it('differs between seeds and between directions', () => {
    expect(plan(42, 'up', 100)).not.toEqual(plan(43, 'up', 100));
    expect(plan(42, 'up', 100)).not.toEqual(plan(42, 'down', 100));
  });

  it(`loses about 25%, duplicates about 10% and delays within 0..${LOSSY.maxDelayMs} ms, for many seeds`, () => {
    for (const seed of [1, 7, 11, 13, 999, 123456]) {
      for (const direction of ['up', 'down'] as const) {
        const fates = plan(seed, direction, 400);
        const dropped = fates.filter((fate) => fate.dropped).length / fates.length;
        const kept = fates.filter((fate) => !fate.dropped);
        const duplicated = kept.filter((fate) => fate.delaysMs.length === 2).length / kept.length;
        const delays = kept.flatMap((fate) => fate.delaysMs);
        // 400 draws: the standard deviation is about 2.2 points for 25% and 1.7 for 10%.
        expect(dropped, `seed ${seed} ${direction} drop rate`).toBeGreaterThan(0.17);
        expect(dropped, `seed ${seed} ${direction} drop rate`).toBeLessThan(0.33);
        expect(duplicated, `seed ${seed} ${direction} duplicate rate`).toBeGreaterThan(0.04);
        expect(duplicated, `seed ${seed} ${direction} duplicate rate`).toBeLessThan(0.16);
        expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...delays)).toBeLessThanOrEqual(LOSSY.maxDelayMs);
        // Delays spread over the range, so copies overtake one another.
        expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(LOSSY.maxDelayMs / 2);
        expect(fates.every((fate) => (fate.dropped ? fate.delaysMs.length === 0 : fate.delaysMs.length >= 1))).toBe(true);
      }
    }
  });
});

describe('a live proxy', () => {
  it('forwards per its plan in both directions, counts datagrams and frees its ports on close', async () => {
    const host = '127.0.0.1';
    const transcript = new Transcript();
    const echo = await UdpPeer.open(host, 'echo', transcript);
    echo.onDatagram((datagram) => void echo.send(datagram.data, datagram.port, datagram.address));
    const port = await freePort(host, 'udp');
    const seed = 5;
    const proxy = await UdpProxy.open({ host, port, target: { address: host, port: echo.port }, seed, transcript });
    const client = dgram.createSocket('udp4');
    const replies: string[] = [];
    const replyPorts = new Set<number>();
    client.on('message', (data, rinfo) => {
      replyPorts.add(rinfo.port);
      replies.push(data.toString());
    });
    await new Promise<void>((resolve) => client.bind(0, host, () => resolve()));
    try {
      const count = 40;
      for (let i = 0; i < count; i++) client.send(`d${i}`, port, host);
      const up = plan(seed, 'up', count);
      const reachedEcho = up.reduce((sum, fate) => sum + fate.delaysMs.length, 0);
      const down = plan(seed, 'down', reachedEcho);
      const repliesDue = down.reduce((sum, fate) => sum + fate.delaysMs.length, 0);
      // Every copy is delayed at most LOSSY.maxDelayMs each way; wait for the plan's totals, with a wide deadline.
      const settled = () => proxy.counts.up === count && echo.received.length === reachedEcho && replies.length === repliesDue;
      await pollUntil(() => (settled() ? true : undefined), 10_000, 'every planned copy to arrive').catch(() => {});
      expect(proxy.counts.up).toBe(count);
      expect(echo.received.length).toBe(reachedEcho);
      expect(proxy.counts.down).toBe(reachedEcho);
      expect(replies.length).toBe(repliesDue);
      // Replies come from the address the client sent to, so a connected client accepts them.
      expect([...replyPorts]).toEqual([port]);
      // Which datagrams were lost on the way up follows the plan exactly.
      const lostUp = up.flatMap((fate, i) => (fate.dropped ? [`d${i}`] : []));
      for (const name of lostUp) expect(echo.received.map((d) => d.data.toString())).not.toContain(name);
    } finally {
      client.close();
      await proxy.close();
      await echo.close();
    }
    const bound = kernelSockets().filter((socket) => socket.protocol === 'udp' && socket.port === port);
    expect(bound).toEqual([]);
  });
});
