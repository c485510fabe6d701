// The grader's memory stays bounded whatever a program sends, and its readers do work
// linear in what they receive. Memory is measured by the objects' own counters (bytes
// they hold), never by process RSS; linear work by the bytes they copy, never by time.
// Every socket is on 127.0.0.1, port 0.
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckFailure } from '../grader/checks/check.ts';
import { awaitLines, LineReader, MAX_KEPT_LINES, MAX_LINE_BYTES } from '../grader/checks/05-multiplexing/lines.ts';
import { decodeFrames, encodeFrame, FrameReader, MAX_FRAME_BYTES } from '../grader/checks/03-framing/frames.ts';
import { ByteWindow, MiB, PEER_HEAD_BYTES, RetentionBudget, runBudget, WindowExceededError } from '../grader/net/byte-window.ts';
import { Random } from '../grader/net/random.ts';
import { TcpPeer } from '../grader/net/tcp-peer.ts';
import { formatTranscript, MAX_EVENTS, MAX_NOTE_CHARS, Transcript } from '../grader/net/transcript.ts';
import { UdpPeer } from '../grader/net/udp-peer.ts';

const HOST = '127.0.0.1';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A server on 127.0.0.1:0 that runs `serve` for each connection; resolves with its port. */
async function serverOn(serve: (socket: net.Socket) => void | Promise<void>): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    void serve(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  }));
  return (server.address() as net.AddressInfo).port;
}

async function peerTo(port: number, name: string, transcript: Transcript, options?: ConstructorParameters<typeof TcpPeer>[3]): Promise<TcpPeer> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect({ host: HOST, port }, () => resolve(socket));
    socket.once('error', reject);
  });
  const peer = new TcpPeer(socket, name, transcript, options);
  cleanups.push(() => peer.destroy());
  return peer;
}

/** Writes `total` bytes of seeded blocks (each numbered, so no two are equal), honouring backpressure; returns their hashes. */
async function sendBlocks(socket: net.Socket, total: number, firstBytes: number): Promise<{ all: string; first: string }> {
  const block = new Random(7).bytes(MiB);
  const all = createHash('sha256');
  const first = createHash('sha256');
  for (let at = 0, n = 0; at < total; at += block.length, n++) {
    const piece = Buffer.from(block.subarray(0, Math.min(block.length, total - at)));
    piece.writeUInt32BE(n, 0);
    all.update(piece);
    if (at < firstBytes) first.update(piece.subarray(0, Math.min(piece.length, firstBytes - at)));
    if (!socket.write(piece)) await new Promise((resolve) => socket.once('drain', resolve));
  }
  return { all: all.digest('hex'), first: first.digest('hex') };
}

/** Records the most a window held after each chunk: a reader is fed right after the window. */
function watchRetained(peer: TcpPeer): { max: number } {
  const seen = { max: 0 };
  peer.subscribe({ push: () => void (seen.max = Math.max(seen.max, peer.window.retainedBytes)), clear: () => {} });
  return seen;
}

describe('a TCP peer', () => {
  it('keeps at most its window of 256 MiB sent before FIN, and counts and hashes all of it', async () => {
    const TOTAL = 256 * MiB;
    let hashes!: Promise<{ all: string; first: string }>;
    const port = await serverOn((socket) => {
      hashes = sendBlocks(socket, TOTAL, PEER_HEAD_BYTES);
      void hashes.then(() => socket.end());
    });
    const transcript = new Transcript();
    const peer = await peerTo(port, 'client-1', transcript);
    const retained = watchRetained(peer);
    await peer.untilEndOrClose(300_000, 'the server to send 256 MiB and FIN');
    const sent = await hashes;

    expect(peer.receivedBytes).toBe(TOTAL);
    expect(peer.window.total).toBe(TOTAL);
    expect(peer.window.sha256()).toBe(sent.all);
    // Never more than the window, at any point of the transfer.
    expect(retained.max).toBeGreaterThan(0);
    expect(retained.max).toBeLessThanOrEqual(PEER_HEAD_BYTES);
    expect(peer.window.retainedBytes).toBeLessThanOrEqual(PEER_HEAD_BYTES);
    expect(runBudget(transcript).used).toBeLessThanOrEqual(PEER_HEAD_BYTES);
    // Each byte kept was copied once, plus the doubling: linear.
    expect(peer.window.copiedBytes).toBeLessThanOrEqual(2 * PEER_HEAD_BYTES);
    // What it kept is the true beginning of the stream.
    expect(peer.window.first().length).toBe(PEER_HEAD_BYTES);
    expect(sha(peer.window.first())).toBe(sent.first);
    // Asking for all of it is a clear failure, not a shortened buffer.
    expect(peer.window.complete).toBe(false);
    expect(() => peer.data()).toThrow(WindowExceededError);
    const error = (() => {
      try {
        peer.data();
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CheckFailure);
    expect((error as CheckFailure).facts.summary).toMatch(/256 MiB arrived at client-1, more than the 32 MiB the grader keeps of one connection/);
    // The transcript holds a preview, not the stream.
    expect(transcript.retainedBytes).toBeLessThan(64 * 1024);
  });

  it('gives the whole stream back while it fits, and starts counting again on clear()', async () => {
    const random = new Random(3);
    const first = random.bytes(3 * MiB);
    const second = random.bytes(100_000);
    let sendSecond!: () => void;
    const port = await serverOn(async (socket) => {
      socket.write(first);
      await new Promise<void>((resolve) => (sendSecond = resolve));
      socket.end(second);
    });
    const peer = await peerTo(port, 'client-1', new Transcript());
    await peer.untilBytes(first.length, 60_000, '3 MiB');
    expect(peer.data().equals(first)).toBe(true);
    expect(peer.window.sha256()).toBe(sha(first));
    peer.clear();
    expect(peer.data().length).toBe(0);
    sendSecond();
    await peer.untilEndOrClose(60_000, 'the rest and FIN');
    expect(peer.data().equals(second)).toBe(true);
    expect(peer.window.total).toBe(second.length);
    expect(peer.window.sha256()).toBe(sha(second));
    expect(peer.receivedBytes).toBe(first.length + second.length);
  });

  it('shares one allowance among the connections of a run, and names it when it ran out', async () => {
    const budget = new RetentionBudget(5 * MiB);
    const hashes: Array<Promise<{ all: string; first: string }>> = [];
    const port = await serverOn((socket) => {
      const sending = sendBlocks(socket, 2 * MiB, 0);
      hashes.push(sending);
      void sending.then(() => socket.end());
    });
    const transcript = new Transcript();
    const peers: TcpPeer[] = [];
    for (let i = 1; i <= 4; i++) peers.push(await peerTo(port, `client-${i}`, transcript, { budget }));
    await Promise.all(peers.map((peer) => peer.untilEndOrClose(60_000, 'FIN')));
    const sent = await Promise.all(hashes);

    const held = peers.reduce((sum, peer) => sum + peer.window.retainedBytes, 0);
    expect(held).toBeLessThanOrEqual(budget.limit);
    expect(budget.used).toBe(held);
    // Every stream is still counted and hashed whole.
    expect(new Set(peers.map((peer) => peer.window.sha256()))).toEqual(new Set(sent.map((hash) => hash.all)));
    for (const peer of peers) expect(peer.window.total).toBe(2 * MiB);
    const complete = peers.filter((peer) => peer.window.complete);
    const cut = peers.filter((peer) => !peer.window.complete);
    expect(complete.length).toBeGreaterThanOrEqual(1);
    expect(cut.length).toBeGreaterThanOrEqual(1);
    for (const peer of complete) expect(sha(peer.data())).toBe(peer.window.sha256());
    for (const peer of cut) expect(() => peer.data()).toThrow(/5 MiB the grader keeps for a whole grading run/);
    // clear() gives the allowance back.
    for (const peer of peers) peer.clear();
    expect(budget.used).toBe(0);
    // One allowance per run: the same transcript, the same budget.
    expect(runBudget(transcript)).toBe(runBudget(transcript));
    expect(runBudget(transcript)).not.toBe(runBudget(new Transcript()));
  });

  it('rejects a wait whose condition asks for bytes it did not keep, instead of crashing in a socket event', async () => {
    const port = await serverOn((socket) => void socket.write(Buffer.alloc(8192, 0x61)));
    const peer = await peerTo(port, 'client-1', new Transcript(), { window: { headBytes: 1024 } });
    await expect(peer.until(() => peer.data().length >= 8192, 30_000, '8 KiB')).rejects.toThrow(WindowExceededError);
    expect(peer.window.retainedBytes).toBeLessThanOrEqual(1024);
  });

  it('keeps the first and the last bytes when asked to, and knows when they join up', () => {
    const window = new ByteWindow({ headBytes: 10, tailBytes: 5 }, 'test');
    const stream = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
    window.push(stream.subarray(0, 12));
    expect(window.complete).toBe(true);
    expect([...window.data()]).toEqual([...stream.subarray(0, 12)]);
    for (let at = 12; at < stream.length; at += 7) window.push(stream.subarray(at, at + 7));
    expect([...window.first()]).toEqual([...stream.subarray(0, 10)]);
    expect([...window.last()]).toEqual([...stream.subarray(95)]);
    expect(window.retainedBytes).toBeLessThanOrEqual(4096 + 5);
    expect(window.complete).toBe(false);
    expect(() => window.data()).toThrow(WindowExceededError);
    expect(window.sha256()).toBe(sha(stream));
  });
});

describe('the transcript', () => {
  it('keeps the last events with a short preview each, counting what it dropped', () => {
    const transcript = new Transcript();
    const chunk = Buffer.alloc(64 * 1024, 0x78);
    const rounds = 20_000;
    for (let i = 0; i < rounds; i++) {
      transcript.sent('client-1', chunk);
      transcript.note('server', `${i} ${'n'.repeat(10_000)}`);
    }
    expect(transcript.length).toBe(2 * rounds);
    expect(transcript.kept).toBeLessThanOrEqual(MAX_EVENTS + 500);
    expect(transcript.dropped).toBe(transcript.length - transcript.kept);
    const events = transcript.since(0);
    expect(events[0]!.omitted).toBe(transcript.dropped);
    for (const event of events.slice(1)) {
      if (event.preview) {
        expect(event.preview.length).toBeLessThanOrEqual(96);
        // Its own small copy, not a view keeping the 64 KiB chunk alive.
        expect(event.preview.buffer.byteLength).toBeLessThan(chunk.length);
      } else {
        expect(event.text.length).toBeLessThanOrEqual(MAX_NOTE_CHARS + 60);
      }
    }
    expect(transcript.retainedBytes).toBeLessThan((MAX_EVENTS + 500) * (MAX_NOTE_CHARS + 100));
    expect(formatTranscript(events)[0]).toBe(`… ${transcript.length - 30} earlier events`);
    // A check's own events are all there when they are recent.
    const recent = transcript.since(transcript.length - 10);
    expect(recent).toHaveLength(10);
    expect(recent[0]!.omitted).toBeUndefined();
    expect(recent.at(-1)!.text).toMatch(new RegExp(`^${rounds - 1} n+… \\(\\d+ more characters not kept\\)$`));
  });
});

/** Lines like a lesson 5 server's replies, `bytes` of them in all. */
function replyLines(bytes: number): Buffer {
  const random = new Random(5);
  const lines: string[] = [];
  let size = 0;
  for (let i = 1; size < bytes; i++) {
    const line = `${i} line-${random.word(1, 12)}\n`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join(''), 'latin1');
}

describe("lesson 5's line reader", () => {
  it('reads 1 MB fed one byte at a time, copying each byte at most about once', () => {
    const stream = replyLines(1_000_000);
    const expected = stream.toString('latin1').split('\n');
    expected.pop();
    const reader = new LineReader();
    for (let at = 0; at < stream.length; at++) reader.push(stream.subarray(at, at + 1));
    expect(reader.count).toBe(expected.length);
    expect(reader.lines).toEqual(expected.slice(0, MAX_KEPT_LINES));
    expect(reader.dropped).toBe(expected.length - MAX_KEPT_LINES);
    expect(reader.rest()).toBe('');
    expect(reader.copiedBytes).toBeLessThanOrEqual(2 * stream.length);
    expect(reader.retainedBytes).toBeLessThanOrEqual(128 * 1024 + MAX_LINE_BYTES);
  });

  it('records a 1 MB line with its length instead of keeping it, and reads on after it', () => {
    const long = Buffer.alloc(1_000_000, 0x61);
    const stream = Buffer.concat([long, Buffer.from('\nok\n'), long]);
    const reader = new LineReader();
    let most = 0;
    for (let at = 0; at < stream.length; at++) {
      reader.push(stream.subarray(at, at + 1));
      most = Math.max(most, reader.retainedBytes);
    }
    expect(reader.count).toBe(2);
    expect(reader.longLine).toEqual({ index: 0, bytes: long.length });
    expect(reader.lines[0]).toBe('a'.repeat(MAX_LINE_BYTES));
    expect(reader.lines[1]).toBe('ok');
    expect(reader.restBytes).toBe(long.length);
    expect(reader.rest()).toBe('a'.repeat(MAX_LINE_BYTES));
    expect(most).toBeLessThanOrEqual(2 * MAX_LINE_BYTES + 2);
    expect(reader.copiedBytes).toBeLessThanOrEqual(4 * MAX_LINE_BYTES);
  });

  it('gives awaitLines the lines and rest that splitting everything received would, and forgets them on clear()', async () => {
    const writes = ['1 hel', 'lo\n2 wor', 'ld\n3 x', 'yz'];
    let next!: () => void;
    const gate = new Promise<void>((resolve) => (next = resolve));
    const port = await serverOn(async (socket) => {
      for (const piece of writes) {
        socket.write(piece);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await gate;
      socket.write('4 after\n');
    });
    const peer = await peerTo(port, 'client-1', new Transcript());
    const replies = await awaitLines(peer, 2, 30_000, 'two lines');
    expect(replies.lines).toEqual(['1 hello', '2 world']);
    await peer.untilBytes(writes.join('').length, 30_000, 'every piece');
    const all = await awaitLines(peer, 2, 30_000, 'two lines');
    expect(all).toMatchObject({ lines: ['1 hello', '2 world'], rest: '3 xyz', count: 2 });
    peer.clear();
    next();
    expect(await awaitLines(peer, 1, 30_000, 'a line after clear()')).toMatchObject({ lines: ['4 after'], rest: '', count: 1 });
  });
});

/** A payload that repeats a seeded 1 MiB block, each copy numbered. */
function largePayload(size: number): Buffer {
  const block = new Random(9).bytes(MiB);
  const payload = Buffer.allocUnsafe(size);
  for (let at = 0; at < size; at += block.length) {
    block.copy(payload, at);
    payload.writeUInt32BE(at / block.length, at);
  }
  return payload;
}

function header(length: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(length, 0);
  return bytes;
}

describe("lesson 3's frame reader", () => {
  const FRAME = 64 * MiB;
  const CHUNK = 64 * 1024;

  it('reads a 64 MiB frame fed in 64 KiB chunks, copying each byte about once', () => {
    const payload = largePayload(FRAME);
    const reader = new FrameReader(FRAME);
    const frames: Buffer[] = [...reader.push(header(FRAME))];
    for (let at = 0; at < payload.length; at += CHUNK) {
      frames.push(...reader.push(payload.subarray(at, at + CHUNK)));
      expect(reader.retainedBytes).toBeLessThanOrEqual(FRAME);
    }
    expect(frames).toHaveLength(1);
    expect(frames[0]!.length).toBe(FRAME);
    expect(frames[0]!.equals(payload)).toBe(true);
    expect(reader.frames).toBe(1);
    expect(reader.pendingBytes).toBe(0);
    expect(reader.retainedBytes).toBe(0);
    expect(reader.copiedBytes).toBeLessThanOrEqual(2 * FRAME);
  });

  it('records a frame over its cap instead of buffering it, and says so when asked for it', () => {
    const payload = largePayload(FRAME);
    const reader = new FrameReader();
    const frames: Buffer[] = [...reader.push(header(FRAME))];
    let most = 0;
    for (let at = 0; at < payload.length; at += CHUNK) {
      frames.push(...reader.push(payload.subarray(at, at + CHUNK)));
      most = Math.max(most, reader.retainedBytes);
    }
    frames.push(...reader.push(encodeFrame(Buffer.from('after'))));
    expect(frames).toEqual([]);
    expect(most).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    expect(reader.retainedBytes).toBe(0);
    expect(reader.oversized).toEqual({ index: 0, announced: FRAME, limit: 'frame' });
    expect(reader.pendingBytes).toBe(4 + FRAME + 4 + 5);
    expect(() => reader.pending()).toThrow(WindowExceededError);
    expect(() => reader.pending()).toThrow(/frame 1 announces 67108864 bytes/);
  });

  it('decodes what decodeFrames decodes, however the stream is cut', () => {
    const random = new Random(21);
    const payloads = Array.from({ length: 60 }, (_, i) => (i % 7 === 0 ? Buffer.alloc(0) : random.bytes(random.int(1, 3000))));
    // Ends inside a frame: a header that announces more than follows (as a little-endian length would).
    const wire = Buffer.concat([...payloads.map(encodeFrame), Buffer.from([0x05, 0, 0, 0, 0x68, 0x69])]);
    const expected = decodeFrames(wire);
    for (const cut of [1, 2, 3, 5, 64, 1000, wire.length]) {
      const reader = new FrameReader();
      const got: Buffer[] = [];
      for (let at = 0; at < wire.length; at += cut) got.push(...reader.push(wire.subarray(at, at + cut)).map((frame) => Buffer.from(frame)));
      expect(got.map((frame) => frame.toString('hex'))).toEqual(expected.frames.map((frame) => frame.toString('hex')));
      expect(reader.pending().equals(expected.rest)).toBe(true);
      expect(reader.pendingBytes).toBe(expected.rest.length);
    }
  });
});

describe('a UDP peer', () => {
  async function sender(): Promise<dgram.Socket> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, HOST, () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    return socket;
  }

  it('keeps the most recent datagrams, counts all, and says so when a check asks for older ones', async () => {
    const peer = await UdpPeer.open(HOST, 'server-1', new Transcript(), { log: false, limits: { datagrams: 50, bytes: MiB } });
    cleanups.push(() => peer.close());
    const from = await sender();
    // One at a time, each awaited, so loopback loses none.
    for (let i = 0; i < 200; i++) {
      from.send(`d${i}`, peer.port, HOST);
      await peer.until(() => peer.count === i + 1, 10_000, `datagram ${i}`);
    }
    expect(peer.count).toBe(200);
    expect(peer.received).toHaveLength(50);
    expect(peer.since(150).map((datagram) => datagram.data.toString())).toEqual(Array.from({ length: 50 }, (_, i) => `d${150 + i}`));
    expect(() => peer.since(149)).toThrow(WindowExceededError);
    await expect(peer.until(() => peer.since(0).length > 0, 10_000, 'old datagrams')).rejects.toThrow(WindowExceededError);
  });

  it('keeps at most its bytes of datagrams', async () => {
    const peer = await UdpPeer.open(HOST, 'server-1', new Transcript(), { log: false, limits: { datagrams: 4096, bytes: 256 * 1024 } });
    cleanups.push(() => peer.close());
    const from = await sender();
    const big = Buffer.alloc(60_000, 0x62);
    for (let i = 0; i < 20; i++) {
      from.send(big, peer.port, HOST);
      await peer.until(() => peer.count === i + 1, 10_000, `datagram ${i}`);
    }
    expect(peer.bytes).toBe(20 * big.length);
    expect(peer.received.reduce((sum, datagram) => sum + datagram.data.length, 0)).toBeLessThanOrEqual(256 * 1024);
    expect(peer.received.length).toBe(4);
  });
});
