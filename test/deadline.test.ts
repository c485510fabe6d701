import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { settledWithin, sleep, untilDoneOrStalled, withDeadline } from '../grader/run/deadline.ts';
import { withTimersWatched } from './helpers/stray-timers.ts';

describe('untilDoneOrStalled', () => {
  it('says done as soon as the condition holds, even while progress is still moving', async () => {
    let count = 0;
    const timer = setInterval(() => (count += 1), 5);
    try {
      expect(await untilDoneOrStalled(() => count >= 10, () => count, { deadlineMs: 10_000, stallMs: 5_000 })).toBe('done');
    } finally {
      clearInterval(timer);
    }
  });

  it('says stalled once progress stops moving, long before the deadline', async () => {
    let count = 0;
    const timer = setInterval(() => (count = Math.min(count + 1, 3)), 5);
    try {
      expect(await untilDoneOrStalled(() => false, () => count, { deadlineMs: 60_000, stallMs: 200 })).toBe('stalled');
    } finally {
      clearInterval(timer);
    }
    expect(count).toBe(3);
  });

  it('keeps waiting while progress moves, and says deadline when it runs out', async () => {
    let count = 0;
    const timer = setInterval(() => (count += 1), 5);
    try {
      expect(await untilDoneOrStalled(() => false, () => count, { deadlineMs: 300, stallMs: 200 })).toBe('deadline');
    } finally {
      clearInterval(timer);
    }
    expect(count).toBeGreaterThan(0);
  });

  it('does not call a stall while the grader itself was held up and could not see progress', async () => {
    const blockFor = (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until);
    };
    // The event loop is blocked for longer than stallMs, twice; the wait must not blame the other side.
    const timers = [setTimeout(() => blockFor(400), 10), setTimeout(() => blockFor(400), 420)];
    try {
      expect(await untilDoneOrStalled(() => false, () => 0, { deadlineMs: 1000, stallMs: 300 })).toBe('deadline');
    } finally {
      timers.forEach(clearTimeout);
    }
  });
});

describe('waits after a stall of the grader', () => {
  it('see what arrived during the stall: sleep, settledWithin and withDeadline', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    const sender = await accepted;
    await new Promise((resolve) => client.once('connect', resolve));
    try {
      let got = '';
      const arrived = new Promise<string>((resolve) => client.once('data', (data) => resolve((got = String(data)))));
      const slept = sleep(20).then(() => got);
      const settled = settledWithin(arrived, 20);
      const deadline = withDeadline(arrived, 20, 'the byte');
      // The byte reaches the kernel, then the grader stalls past every timer: they are due before the read.
      sender.write('x');
      const until = performance.now() + 100;
      while (performance.now() < until);
      expect(await slept).toBe('x');
      expect(await settled).toBe('x');
      expect(await deadline).toBe('x');
    } finally {
      client.destroy();
      sender.destroy();
      server.close();
    }
  });
});

describe('settledWithin', () => {
  it("gives the promise's value when it settles first, and leaves no timer behind", async () => {
    const { value, pending } = await withTimersWatched(() => settledWithin(Promise.resolve('answer'), 60_000));
    expect(value).toBe('answer');
    expect(await pending()).toEqual([]);
  });

  it('gives undefined once the time is up, for a promise that never settles', async () => {
    expect(await settledWithin(new Promise(() => {}), 20)).toBeUndefined();
  });
});

describe('the stray-timer watch of the tests', () => {
  it('names a long sleep a grading forgot (a race with a sleep that lost)', async () => {
    const { pending } = await withTimersWatched(() => Promise.race([Promise.resolve(), sleep(10_000)]));
    expect(await pending()).toEqual([expect.stringContaining('deadline.ts')]);
  });
});
