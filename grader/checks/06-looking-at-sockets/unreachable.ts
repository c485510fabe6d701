// Lesson 6: an address a connect fails on with another error than ECONNREFUSED, at once and
// without a packet leaving the machine. The kernel refuses a TCP connect to a multicast
// address before sending anything (Linux: ENETUNREACH). The grader tries it itself first and
// expects the program to report the code the grader saw.
import net from 'node:net';
import { sleep } from '../../run/deadline.ts';
import type { CheckContext } from '../check.ts';

/** What a connect to host:port ended in for the grader: an error code, or "connected". */
export interface Unreachable {
  readonly host: string;
  readonly port: number;
  readonly code: string;
}

/** A multicast address of the run's family: no TCP connection can be made to it. */
function multicastFor(host: string): string {
  return net.isIPv6(host) ? 'ff0e::1' : '224.0.0.1';
}

/** The address and the error code the grader's own connect got; undefined if it did not fail with a code other than ECONNREFUSED. */
export async function unreachableAddress(context: CheckContext, port: number): Promise<Unreachable | undefined> {
  const host = multicastFor(context.host);
  const socket = net.connect({ host, port });
  context.onCleanup(() => socket.destroy());
  // Not a wait on the program: if this machine routes it somewhere, the check is not run.
  const code = await Promise.race([
    new Promise<string | undefined>((resolve) => {
      socket.once('connect', () => resolve(undefined));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    }),
    sleep(context.ms(2000)).then(() => undefined),
  ]).finally(() => socket.destroy());
  if (!code || code === 'ECONNREFUSED') return undefined;
  return { host, port, code };
}
