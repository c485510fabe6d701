// What lesson 3's server checks send: frames of random words, a large payload that no two
// blocks of repeat, and a wait for the proxy to pass bytes on to the server.
import type { FragmentingProxy } from '../../net/fragmenting-proxy.ts';
import type { Random } from '../../net/random.ts';
import type { TcpPeer } from '../../net/tcp-peer.ts';
import { pollUntil } from '../../run/deadline.ts';
import { encodeFrame } from './frames.ts';

export const SERVER = 'server.ts';
import { MiB } from '../../net/byte-window.ts';

export { MiB };
/** Past what the kernel buffers on loopback (about 4 MiB here), so replies queue inside Node. */
export const LARGE_BYTES = 6 * MiB;

export function words(random: Random, count: number, min: number, max: number): Buffer[] {
  return Array.from({ length: count }, () => Buffer.from(random.word(min, max)));
}

/** Sends `payloads` on `peer`, one frame each, all in one write. */
export function sendFrames(peer: TcpPeer, payloads: readonly Buffer[]): Promise<void> {
  return peer.send(Buffer.concat(payloads.map(encodeFrame)));
}

/** Waits until the proxy has written `bytes` towards the server, or the connection is gone. */
export async function forwardedUp(proxy: FragmentingProxy, peer: TcpPeer, bytes: number, ms: number): Promise<void> {
  await pollUntil(
    () => ((proxy.stats[0]?.bytes ?? 0) >= bytes || peer.closed || peer.gotEnd ? true : undefined),
    ms,
    `the proxy to pass ${bytes} bytes on to ${SERVER}`,
  );
}

/** A payload that repeats a random 64 KiB block with a counter, so no two blocks are equal. */
export function largePayload(random: Random, size: number): Buffer {
  const block = random.bytes(64 * 1024);
  const payload = Buffer.alloc(size);
  for (let at = 0; at < size; at += block.length) {
    block.copy(payload, at);
    payload.writeUInt32BE((at / block.length) >>> 0, at);
  }
  return payload;
}
