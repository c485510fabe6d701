// Lesson 4, the UDP echo server: bound to HOST:PORT, every datagram back whole to its
// own sender, and an empty datagram is just a datagram. One server run serves all four checks.
import net from 'node:net';
import { ProgramExitedError } from '../../net/connect.ts';
import { escapeBytes, firstDifference } from '../../net/escape.ts';
import type { Random } from '../../net/random.ts';
import { describeDatagram, udpAddress, UdpPeer, type Datagram } from '../../net/udp-peer.ts';
import { isProbe, probeUntilEcho } from '../../net/udp-ready.ts';
import { hasProc } from '../../run/proc.ts';
import { describeExit, type RunningProgram } from '../../run/program.ts';
import { fail, type CheckContext, type LessonChecks } from '../check.ts';
import { crashReport } from '../shared/exit.ts';
import { assertBoundExactly, boundSockets, diagnoseNotListening, hostPort } from '../shared/listening.ts';
import { answersRepeatsCheck, beginBindFailure, reportsBindFailureCheck, type BindFailureRun } from './server-extra.ts';

const FILE = 'server.ts';
/** The largest UDP payload over IPv4: 65535 - 20 (IP header) - 8 (UDP header). */
export const MAX_IPV4_PAYLOAD = 65507;
const SIZES = [1, 1400, MAX_IPV4_PAYLOAD];

const REPLY_TO_SENDER =
  'Reply to the sender of each datagram: socket.send(msg, rinfo.port, rinfo.address). Without an address Node sends to 127.0.0.1 (::1 for udp6), which is not where the grader is; a fixed port is nobody\'s.';

async function openPeer(context: CheckContext, name: string, host = context.host): Promise<UdpPeer> {
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
function allByteValues(size: number, random: Random): Buffer {
  const data = Buffer.alloc(size);
  let offset = 0;
  for (let i = 0; i < size; i++) {
    if (i % 256 === 0) offset = random.int(0, 255);
    data[i] = (i + offset) & 0xff;
  }
  return data;
}

/** An IPv4 socket asked to bind an IPv6 HOST: Node reports EINVAL (or EAFNOSUPPORT). */
function diagnoseWrongFamily(context: CheckContext, program: RunningProgram): void {
  if (!net.isIPv6(context.host) || boundSockets(program, 'udp').length > 0) return;
  const said = /EINVAL|EAFNOSUPPORT/.exec(program.stderr.text);
  if (!said) return;
  fail(`${FILE} never bound HOST ${context.host}, an IPv6 address: it reported ${said[0]}`, {
    expected: `a 'udp6' socket bound to HOST ${context.host}`,
    actual: `no socket bound; stderr: ${escapeBytes(Buffer.from(program.stderr.text.trim()), 120)}`,
    hint: "The socket's type must follow HOST: a 'udp4' socket cannot bind or reach an IPv6 address such as ::1 (bind fails with EINVAL). Choose it from HOST: dgram.createSocket(net.isIPv6(HOST) ? 'udp6' : 'udp4').",
  });
}

/** The echo must come from HOST:PORT, the address the client sent to: a connected client accepts nothing else. */
function expectEchoFromServer(context: CheckContext, program: RunningProgram, port: number, echo: Datagram): void {
  const address = echo.address.replace(/^::ffff:(?=\d+\.)/, '');
  if (echo.port !== port) {
    fail(`the echo came from port ${echo.port}, not from PORT ${port}, the port the datagram was sent to`, {
      expected: `the echo sent from ${hostPort(context.host, port)}`,
      actual: `sent from ${udpAddress(address, echo.port)}`,
      hint: `The reply left from another socket than the one bound to PORT. A client that connect()ed its socket to ${hostPort(context.host, port)} (or checks where replies come from) drops it. Send the echo with the same socket that received the datagram: socket.send(msg, rinfo.port, rinfo.address) in its own "message" listener.`,
    });
  }
  if (address === context.host) return;
  assertBoundExactly(context, program, port, 'udp');
  fail(`the echo came from ${udpAddress(address, echo.port)}, not from HOST ${context.host}`, {
    expected: `the echo sent from ${hostPort(context.host, port)}`,
    actual: `sent from ${udpAddress(address, echo.port)}`,
    hint: 'The reply must leave from the address the client sent to: send it with the socket bound to HOST:PORT.',
  });
}

/** Why a server bound where it should be sent nothing back. */
function diagnoseSilent(context: CheckContext, program: RunningProgram, port: number, peer: UdpPeer, cause: Error): never {
  diagnoseWrongFamily(context, program);
  if (cause instanceof ProgramExitedError) throw cause;
  const sockets = boundSockets(program, 'udp');
  const here = sockets.find((socket) => socket.port === port && (socket.address === context.host || socket.address === '0.0.0.0' || socket.address === '::'));
  if (!here) diagnoseNotListening(context, program, port, 'udp', cause);
  if (here.state === 'ESTABLISHED') {
    fail(`${FILE} connected its socket to someone else, so it no longer receives the grader's datagrams`, {
      expected: `echoes of the probes sent from ${udpAddress(peer.address, peer.port)}`,
      actual: 'no datagram came back',
      hint: 'A server must not connect() its UDP socket: a connected socket only receives from that one peer. Keep it unconnected and reply with socket.send(msg, rinfo.port, rinfo.address).',
    });
  }
  fail(`${FILE} is bound to ${hostPort(context.host, port)}, but no echo of the probe datagrams came back to their sender ${udpAddress(peer.address, peer.port)}`, {
    expected: `each probe echoed to ${udpAddress(peer.address, peer.port)}`,
    actual: 'no datagram came back there',
    hint: REPLY_TO_SENDER,
  });
}

/** Names the usual cause of a datagram that came back different. */
function diagnoseDatagram(sent: Buffer, got: readonly Datagram[]): { summary: string; hint: string } {
  const first = got[0]!.data;
  const all = Buffer.concat(got.map((datagram) => datagram.data));
  if (got.length > 1 && all.equals(sent)) {
    return {
      summary: `a ${sent.length}-byte datagram came back as ${got.length} datagrams of ${got.map((d) => d.data.length).join(', ')} bytes`,
      hint: 'One send() is one datagram: send the whole msg back in a single socket.send(), never in pieces.',
    };
  }
  if (first.length < sent.length && sent.subarray(0, first.length).equals(first)) {
    return {
      summary: `a ${sent.length}-byte datagram came back cut to its first ${first.length} bytes`,
      hint: `The echo was cut to ${first.length} bytes. A datagram arrives whole in one 'message' event, whatever its size (up to ${MAX_IPV4_PAYLOAD} bytes over IPv4): send all of msg back. Slicing it to a buffer size copies recvfrom(1024), which on a real socket silently discards the rest of the datagram.`,
    };
  }
  if (first.includes(Buffer.from([0xef, 0xbf, 0xbd]))) {
    return {
      summary: `a ${sent.length}-byte binary datagram came back as ${first.length} different bytes holding EF BF BD`,
      hint: 'EF BF BD is the UTF-8 "replacement character": the datagram was decoded as text (toString()) and encoded again. Send back the Buffer you received.',
    };
  }
  const at = firstDifference(sent, first);
  return {
    summary: `a ${sent.length}-byte datagram came back as ${first.length} bytes, first difference at byte ${at}`,
    hint: 'Send back exactly the Buffer of the \'message\' event: no conversion, no added or removed bytes.',
  };
}

export const udpServerChecks: LessonChecks = () => {
  let server: RunningProgram;
  let port: number;
  let first: UdpPeer;
  let second: UdpPeer;
  let bindFailure: Promise<BindFailureRun> | undefined;

  /** Non-probe datagrams the peer received from index `from` on. */
  const echoes = (peer: UdpPeer, from: number) => peer.since(from).filter((datagram) => !isProbe(datagram.data));

  function exitedDuring(what: string, hint = 'A UDP server keeps running: there is no connection that ends, so nothing should close the socket.'): never {
    const crash = crashReport(server.stderr.text);
    fail(`${FILE} ${describeExit(server.exit!)} ${what}${crash ? `: ${crash.trim()}` : ''}`, {
      expected: 'keeps running and echoing',
      actual: describeExit(server.exit!),
      hint: crash ? 'Add socket.on("error", ...) and do not let one datagram throw: an uncaught error ends the whole server.' : hint,
    });
  }

  return [
    {
      id: 'server-answers',
      title: 'is bound to HOST:PORT and echoes a datagram to its sender',
      hint: 'const socket = dgram.createSocket(net.isIPv6(HOST) ? "udp6" : "udp4"); socket.bind(PORT, HOST); and in socket.on("message", (msg, rinfo) => ...) send msg to rinfo.port and rinfo.address.',
      async run(context) {
        port = await context.freePort('udp');
        server = context.start(FILE, { port });
        first = await openPeer(context, 'client-1');
        let boundSince: number | undefined;
        const giveUp = () => {
          // Once it has been bound for a while without answering, waiting longer will not help.
          if (boundSince === undefined && boundSockets(server, 'udp').length > 0) boundSince = Date.now();
          return boundSince !== undefined && Date.now() - boundSince > context.ms(3000);
        };
        let echo: Datagram;
        try {
          echo = await probeUntilEcho({ peer: first, host: context.host, port, program: server, deadlineMs: context.ms(10_000), giveUp });
        } catch (error) {
          diagnoseSilent(context, server, port, first, error as Error);
        }
        expectEchoFromServer(context, server, port, echo);
        assertBoundExactly(context, server, port, 'udp');
      },
    },
    {
      id: 'echoes-sizes',
      title: `echoes datagrams of ${SIZES.join(', ')} bytes (all 256 byte values) each as one datagram, whole and unchanged`,
      hint: 'Send back the very Buffer the "message" event gave you, in one socket.send(): a datagram is never split, merged or cut.',
      async run(context) {
        bindFailure = beginBindFailure(context);
        const random = context.random('datagram-sizes');
        const from = first.count;
        for (const size of SIZES) {
          const sent = size === 1 ? random.bytes(1) : allByteValues(size, random);
          const before = echoes(first, from).length;
          await first.send(sent, port, context.host);
          const arrived = () => echoes(first, from).length > before;
          await first.until(() => arrived() || !server.running, context.ms(3000), `the echo of a ${size}-byte datagram`).catch(() => undefined);
          if (!arrived()) {
            if (!server.running) exitedDuring(`after a ${size}-byte datagram`);
            fail(`no echo came back within ${context.ms(3000) / 1000} s for a ${size}-byte datagram`, {
              expected: `one ${size}-byte datagram back`,
              actual: 'nothing',
              hint: size === MAX_IPV4_PAYLOAD
                ? `A datagram may hold up to ${MAX_IPV4_PAYLOAD} bytes over IPv4; echo it as it is. Adding even one byte makes the send fail with EMSGSIZE.`
                : 'Echo every datagram, whatever its size or content.',
            });
          }
          if (!echoes(first, from)[before]!.data.equals(sent)) {
            // Give the rest of a split echo time to arrive before naming the mistake.
            await first.within(() => false, context.ms(300));
            const got = echoes(first, from).slice(before);
            const { summary, hint } = diagnoseDatagram(sent, got);
            const shown = Math.max(0, firstDifference(sent, got[0]!.data) - 8);
            const view = (data: Buffer) => `one ${data.length}-byte datagram; from byte ${shown}: ${escapeBytes(data.subarray(shown, shown + 24), 24)}`;
            fail(summary, { expected: view(sent), actual: `${got.length > 1 ? `${got.length} datagrams, the first ` : ''}${view(got[0]!.data)}`, hint });
          }
        }
        // An echo sent twice (or in more pieces after a whole one) shows up here.
        await first.within(() => false, context.ms(200));
        const extra = echoes(first, from).slice(SIZES.length);
        if (extra.length > 0) {
          fail(`${SIZES.length + extra.length} datagrams came back for ${SIZES.length} sent`, {
            expected: `${SIZES.length} datagrams, one per datagram sent`,
            actual: `also ${extra.map((datagram) => describeDatagram(datagram.data)).join(', ')}`,
            hint: 'Send exactly one datagram back per datagram received.',
          });
        }
      },
    },
    answersRepeatsCheck(() => ({ server, port, peer: first })),
    {
      id: 'separate-clients',
      title: 'two clients on different ports (and addresses) each get only their own echoes',
      hint: 'Reply to the rinfo that came with this datagram. Nothing about a sender should be remembered between "message" events.',
      async run(context) {
        const random = context.random('two-clients');
        second = await openPeer(context, 'client-2');
        const third = await openPeer(context, 'client-3', otherLoopback(context.host));
        const peers = [second, third];
        const starts = peers.map((peer) => peer.count);
        const firstFrom = first.count;
        const sent: string[][] = [[], []];
        // Interleaved and back to back, so a server that keeps "the client" in a variable mixes them up.
        for (let i = 1; i <= 10; i++) {
          await Promise.all(peers.map((peer, n) => {
            const text = `${peer.name} datagram ${i} ${random.word(4, 12)}`;
            sent[n]!.push(text);
            return peer.send(text, port, context.host);
          }));
        }
        const got = (n: number) => peers[n]!.since(starts[n]!).map((datagram) => datagram.data.toString('latin1'));
        const done = () => got(0).length >= 10 && got(1).length >= 10;
        await Promise.race([
          second.until(done, context.ms(3000), '').catch(() => undefined),
          third.until(done, context.ms(3000), '').catch(() => undefined),
        ]);
        await second.within(() => false, context.ms(100));
        if (!server.running) exitedDuring('while two clients sent datagrams');
        const atFirst = first.since(firstFrom).map((datagram) => datagram.data.toString('latin1'));
        for (const n of [0, 1]) {
          const mine = sent[n]!;
          const other = sent[1 - n]!;
          const wrong = got(n).filter((text) => !mine.includes(text));
          const name = peers[n]!.name;
          const otherName = peers[1 - n]!.name;
          if (atFirst.some((text) => mine.includes(text))) {
            fail(`the echoes of ${name}'s datagrams went to client-1, the first client that ever sent one`, {
              expected: `${name}'s echoes at ${name} (${udpAddress(peers[n]!.address, peers[n]!.port)})`,
              actual: `at client-1 (${udpAddress(first.address, first.port)})`,
              hint: 'There is no "the client" in UDP: saving the first sender\'s address, as if it were accept()ed, sends everyone\'s echoes to that one client. Reply to the rinfo of each datagram.',
            });
          }
          if (wrong.some((text) => other.includes(text))) {
            fail(`${otherName}'s datagram ${escapeBytes(Buffer.from(wrong.find((text) => other.includes(text))!))} was echoed to ${name}`, {
              expected: `each client gets only its own echoes`,
              actual: `${wrong.filter((text) => other.includes(text)).length} of ${otherName}'s echoes arrived at ${name}`,
              hint: 'The echo went to whoever sent last, not to the sender of that datagram. Use the rinfo passed with the same "message" event, not a variable shared between events.',
            });
          }
        }
        for (const n of [0, 1]) {
          const missing = sent[n]!.filter((text) => !got(n).includes(text));
          if (missing.length === 0) continue;
          const peer = peers[n]!;
          const connected = boundSockets(server, 'udp').some((socket) => socket.state === 'ESTABLISHED');
          fail(`${missing.length} of ${peer.name}'s 10 datagrams got no echo (${peer.name} sends from ${udpAddress(peer.address, peer.port)})`, {
            expected: `10 echoes at ${udpAddress(peer.address, peer.port)}`,
            actual: `${10 - missing.length}; none for ${escapeBytes(Buffer.from(missing[0]!))}`,
            hint: connected
              ? 'The server\'s socket is connected to one peer: a connected UDP socket only receives from that peer. Do not connect() a server socket; reply with socket.send(msg, rinfo.port, rinfo.address).'
              : REPLY_TO_SENDER,
          });
        }
      },
    },
    {
      id: 'survives-empty-and-garbage',
      title: 'echoes an empty datagram and random bytes, and keeps answering after them',
      hint: 'An empty datagram is a datagram of length 0, not the end of anything: UDP has no connection to close. Echo it like any other.',
      async run(context) {
        const steps: Array<{ payload: Buffer; what: string }> = [
          { payload: Buffer.alloc(0), what: 'an empty datagram' },
          { payload: context.random('garbage').bytes(context.random('garbage-size').int(2, 1024)), what: 'a datagram of random bytes' },
        ];
        for (const [index, { payload, what }] of steps.entries()) {
          const marker = Buffer.from(`still there after ${what}?`);
          const from = second.count;
          const got = () => second.since(from).map((datagram) => datagram.data);
          const markerBack = () => got().some((data) => data.equals(marker));
          const payloadBack = () => got().some((data) => data.equals(payload));
          await second.send(payload, port, context.host);
          await second.send(marker, port, context.host);
          await second
            .until(() => (markerBack() && payloadBack()) || !server.running, context.ms(4000), `the echoes of ${what} and of the datagram after it`)
            .catch(() => undefined);
          // UDP does not promise order: give the first echo a moment if only the second is back.
          if (markerBack() && !payloadBack()) await second.within(payloadBack, context.ms(300));
          const stoppedHint = index === 0
            ? "An empty datagram is not TCP's empty recv(): it does not mean the other side is done, because there is no connection to close. Do not close the socket on it; echo it."
            : 'Echo any bytes, whatever they hold, and keep the socket open.';
          if (!server.running) exitedDuring(`after receiving ${what}`, stoppedHint);
          if (!markerBack()) {
            fail(`${FILE} stopped answering after ${what}: the next datagram got no echo within ${context.ms(4000) / 1000} s`, {
              expected: `the echo of ${escapeBytes(marker)}`,
              actual: payloadBack() ? `only the echo of ${what}` : 'no echo at all',
              hint: stoppedHint,
            });
          }
          if (!payloadBack()) {
            const wrong = got().find((data) => !data.equals(marker));
            fail(`${FILE} answered the next datagram but not ${what}`, {
              expected: `one ${describeDatagram(payload)}`,
              actual: wrong ? describeDatagram(wrong) : 'nothing',
              hint: index === 0
                ? 'A 0-byte datagram is valid: msg.length === 0 in the "message" event. Send it back too: socket.send(msg, rinfo.port, rinfo.address) sends a 0-byte datagram.'
                : 'Send back exactly the Buffer the "message" event gave you, whatever bytes it holds.',
            });
          }
        }
      },
    },
    reportsBindFailureCheck(() => bindFailure),
  ];
};
