// What the checks of one server run share: the server, its PORT and the grader's clients; and
// how they report a server that stopped while they talked to it.
import type { Random } from '../../net/random.ts';
import { UdpPeer } from '../../net/udp-peer.ts';
import { isProbe } from '../../net/udp-ready.ts';
import { hasProc } from '../../run/proc.ts';
import { describeExit, type RunningProgram } from '../../run/program.ts';
import { fail, type CheckContext, type Diagnosis } from '../check.ts';
import { crashReport } from '../shared/exit.ts';
import { diagnoses } from './diagnoses.ts';

export const FILE = 'server.ts';

export interface ServerSession {
  /** Set by "server-answers": the server and the first client, which it echoed to. */
  served?: { readonly server: RunningProgram; readonly port: number; readonly first: UdpPeer };
  /** Set by "separate-clients": the second client, which later checks go on with. */
  second?: UdpPeer;
}

export async function openPeer(context: CheckContext, name: string, host = context.host): Promise<UdpPeer> {
  const peer = await UdpPeer.open(host, name, context.transcript);
  context.onCleanup(() => peer.close());
  return peer;
}

/** Another loopback address than HOST, so a reply sent to HOST instead of rinfo.address goes astray (Linux only). */
export function otherLoopback(host: string): string {
  const parts = host.split('.').map(Number);
  if (!hasProc || parts.length !== 4 || parts[0] !== 127) return host;
  parts[3] = parts[3]! >= 254 ? 1 : parts[3]! + 1;
  return parts.join('.');
}

/** Every byte value in every 256-byte block, each block rotated by a seeded amount. */
export function allByteValues(size: number, random: Random): Buffer {
  const data = Buffer.alloc(size);
  let offset = 0;
  for (let i = 0; i < size; i++) {
    if (i % 256 === 0) offset = random.int(0, 255);
    data[i] = (i + offset) & 0xff;
  }
  return data;
}

/** Non-probe datagrams the peer received from index `from` on. */
export const echoes = (peer: UdpPeer, from: number) => peer.since(from).filter((datagram) => !isProbe(datagram.data));

/** The server exited while a check talked to it; `stopped` names the mistake when it did not crash. */
export function exitedDuring(server: RunningProgram, what: string, stopped?: Diagnosis): never {
  const crash = crashReport(server.stderr.text);
  fail(`${FILE} ${describeExit(server.exit!)} ${what}${crash ? `: ${crash.trim()}` : ''}`, {
    expected: 'keeps running and echoing',
    actual: describeExit(server.exit!),
    diagnosis: crash ? diagnoses['crashes-on-datagram'] : stopped,
  });
}
