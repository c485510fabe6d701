// Judging a UDP echo server from what came back: where the echo came from, why nothing came,
// and which usual mistake made a datagram come back different.
import net from 'node:net';
import { ProgramExitedError } from '../../net/connect.ts';
import { escapeBytes, firstDifference } from '../../net/escape.ts';
import { udpAddress, type Datagram, type UdpPeer } from '../../net/udp-peer.ts';
import type { RunningProgram } from '../../run/program.ts';
import { fail, withFact, type CheckContext, type Diagnosis } from '../check.ts';
import { listeningDiagnoses } from '../shared/diagnoses.ts';
import { assertBoundExactly, boundSockets, diagnoseNotListening, hostPort } from '../shared/listening.ts';
import { diagnoses } from './diagnoses.ts';
import { FILE } from './server-session.ts';

/** An IPv4 socket asked to bind an IPv6 HOST: Node reports EINVAL (or EAFNOSUPPORT). */
export function diagnoseWrongFamily(context: CheckContext, program: RunningProgram): void {
  if (!net.isIPv6(context.host) || boundSockets(program, 'udp').length > 0) return;
  const said = /EINVAL|EAFNOSUPPORT/.exec(program.stderr.text);
  if (!said) return;
  fail(`${FILE} never bound HOST ${context.host}, an IPv6 address: it reported ${said[0]}`, {
    expected: `a 'udp6' socket bound to HOST ${context.host}`,
    actual: `no socket bound; stderr: ${escapeBytes(Buffer.from(program.stderr.text.trim()), 120)}`,
    diagnosis: diagnoses['udp4-for-ipv6-host'],
  });
}

/** The echo must come from HOST:PORT, the address the client sent to: a connected client accepts nothing else. */
export function expectEchoFromServer(context: CheckContext, program: RunningProgram, port: number, echo: Datagram): void {
  const address = echo.address.replace(/^::ffff:(?=\d+\.)/, '');
  if (echo.port !== port) {
    fail(`the echo came from port ${echo.port}, not from PORT ${port}, the port the datagram was sent to`, {
      expected: `the echo sent from ${hostPort(context.host, port)}`,
      actual: `sent from ${udpAddress(address, echo.port)}`,
      diagnosis: diagnoses['replies-from-other-socket'],
    });
  }
  if (address === context.host) return;
  assertBoundExactly(context, program, port, 'udp');
  // Bound to PORT, yet the reply left from another address: the socket is bound to every address.
  fail(`the echo came from ${udpAddress(address, echo.port)}, not from HOST ${context.host}`, {
    expected: `the echo sent from ${hostPort(context.host, port)}`,
    actual: `sent from ${udpAddress(address, echo.port)}`,
    diagnosis: listeningDiagnoses['binds-every-address'],
  });
}

/** Why a server bound where it should be sent nothing back. */
export function diagnoseSilent(context: CheckContext, program: RunningProgram, port: number, peer: UdpPeer, cause: Error): never {
  diagnoseWrongFamily(context, program);
  if (cause instanceof ProgramExitedError) throw cause;
  const sockets = boundSockets(program, 'udp');
  const here = sockets.find((socket) => socket.port === port && (socket.address === context.host || socket.address === '0.0.0.0' || socket.address === '::'));
  if (!here) diagnoseNotListening(context, program, port, 'udp', cause);
  if (here.state === 'ESTABLISHED') {
    fail(`${FILE} connected its socket to someone else, so it no longer receives the grader's datagrams`, {
      expected: `echoes of the probes sent from ${udpAddress(peer.address, peer.port)}`,
      actual: 'no datagram came back',
      diagnosis: diagnoses['connects-server-socket'],
    });
  }
  fail(`${FILE} is bound to ${hostPort(context.host, port)}, but no echo of the probe datagrams came back to their sender ${udpAddress(peer.address, peer.port)}`, {
    expected: `each probe echoed to ${udpAddress(peer.address, peer.port)}`,
    actual: 'no datagram came back there',
    diagnosis: diagnoses['replies-without-sender-address'],
  });
}

/** The summary of a datagram that came back different, and the usual cause when it is recognised. */
export function diagnoseDatagram(sent: Buffer, got: readonly Datagram[]): { summary: string; diagnosis?: Diagnosis } {
  const first = got[0]!.data;
  const all = Buffer.concat(got.map((datagram) => datagram.data));
  if (got.length > 1 && all.equals(sent)) {
    return {
      summary: `a ${sent.length}-byte datagram came back as ${got.length} datagrams of ${got.map((d) => d.data.length).join(', ')} bytes`,
      diagnosis: diagnoses['splits-datagram'],
    };
  }
  if (first.length < sent.length && sent.subarray(0, first.length).equals(first)) {
    return {
      summary: `a ${sent.length}-byte datagram came back cut to its first ${first.length} bytes`,
      diagnosis: withFact(diagnoses['truncates-datagram'], `The echo was cut to ${first.length} bytes.`),
    };
  }
  if (first.includes(Buffer.from([0xef, 0xbf, 0xbd]))) {
    return {
      summary: `a ${sent.length}-byte binary datagram came back as ${first.length} different bytes holding EF BF BD`,
      diagnosis: diagnoses['decodes-as-text'],
    };
  }
  const at = firstDifference(sent, first);
  return { summary: `a ${sent.length}-byte datagram came back as ${first.length} bytes, first difference at byte ${at}` };
}

/** Why a client's datagrams got no echo: the server's socket is connected to another peer, or the echoes went elsewhere. */
export function diagnoseMissing(program: RunningProgram): Diagnosis {
  const connected = boundSockets(program, 'udp').some((socket) => socket.state === 'ESTABLISHED');
  return connected ? diagnoses['connects-server-socket'] : diagnoses['replies-without-sender-address'];
}
