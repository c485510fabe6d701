// Readiness of a UDP server cannot be seen by connecting: there is no connection. The
// grader sends a probe datagram with backoff until one comes back, so it never sleeps
// a fixed time and never waits past a deadline or past the program's death.
import { DeadlineError } from '../run/deadline.ts';
import type { RunningProgram } from '../run/program.ts';
import { ProgramExitedError } from './connect.ts';
import { udpAddress, type Datagram, type UdpPeer } from './udp-peer.ts';

export interface ProbeOptions {
  readonly peer: UdpPeer;
  readonly host: string;
  readonly port: number;
  readonly deadlineMs: number;
  /** Stop waiting as soon as this program exits. */
  readonly program?: RunningProgram;
  /** Checked between probes: a reason to stop waiting early (it is bound elsewhere). */
  readonly giveUp?: () => boolean;
}

export const PROBE_PREFIX = 'probe ';

export function isProbe(data: Buffer): boolean {
  return data.subarray(0, PROBE_PREFIX.length).toString('latin1') === PROBE_PREFIX;
}

/** Resolves with the first echo of a probe; probes sent before the server was bound are simply lost. */
export async function probeUntilEcho(options: ProbeOptions): Promise<Datagram> {
  const { peer, host, port, deadlineMs, program, giveUp } = options;
  const where = udpAddress(host, port);
  const sent = new Set<string>();
  const from = peer.count;
  const echo = () => peer.since(from).find((datagram) => sent.has(datagram.data.toString('latin1')));
  const end = Date.now() + deadlineMs;
  let delay = 20;
  for (let n = 1; ; n++) {
    if (program && !program.running) throw new ProgramExitedError(program, `it echoed a datagram sent to ${where}`);
    const probe = `${PROBE_PREFIX}${n}`;
    sent.add(probe);
    await peer.send(probe, port, host);
    const left = end - Date.now();
    if (await peer.within(() => echo() !== undefined, Math.max(0, Math.min(delay, left)))) return echo()!;
    if (end - Date.now() <= 0 || giveUp?.()) {
      throw new DeadlineError(`an echo of any of ${n} probe datagrams sent to ${where}`, deadlineMs - Math.max(0, end - Date.now()));
    }
    delay = Math.min(delay * 2, 250);
  }
}
