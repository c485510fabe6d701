// Lesson 6: an address a connect fails on with another error than ECONNREFUSED, at once and
// without a packet being sent. 127.255.255.255 is the broadcast address of the loopback network
// 127.0.0.0/8, and the kernel refuses a TCP connect to a broadcast address before sending
// anything (Linux: ENETUNREACH). Traffic stays on loopback: no other address is ever tried. The
// grader tries it itself first and expects the program to report the code the grader saw.
import net from 'node:net';
import { settledWithin } from '../../run/deadline.ts';
import type { CheckContext } from '../check.ts';

/** What a connect to host:port ended in for the grader: an error code, or "connected". */
export interface Unreachable {
  readonly host: string;
  readonly port: number;
  readonly code: string;
}

/** Loopback's broadcast address: no TCP connection can be made to it. IPv6 has no such address on loopback. */
export const LOOPBACK_BROADCAST = '127.255.255.255';

/** The address and the error code the grader's own connect got; undefined if it did not fail with a code other than ECONNREFUSED. */
export async function unreachableAddress(context: CheckContext, port: number): Promise<Unreachable | undefined> {
  const host = LOOPBACK_BROADCAST;
  const socket = net.connect({ host, port });
  context.onCleanup(() => socket.destroy());
  // Not a wait on the program: if this machine routes it somewhere, the check is not run.
  const outcome = new Promise<string | undefined>((resolve) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
  const code = await settledWithin(outcome, context.ms(2000)).finally(() => socket.destroy());
  if (!code || code === 'ECONNREFUSED') return undefined;
  return { host, port, code };
}
