// Lesson 1's main scenario: one run of the server and one client, as the guide's server serves
// one client. Each check goes on where the one before it stopped, so they share the session.
import net from 'node:net';
import { pickLoopbackHost } from '../../context.ts';
import { hasProc } from '../../run/proc.ts';
import type { TcpPeer } from '../../net/tcp-peer.ts';
import { pollUntil, sleep, untilDoneOrStalled } from '../../run/deadline.ts';
import type { RunningProgram } from '../../run/program.ts';
import { fail, type CheckContext } from '../check.ts';
import { need, scenario } from '../lesson.ts';
import { expectCleanExit, exitWithin } from '../shared/exit.ts';
import { boundSockets, hostPort, startServerAndConnect } from '../shared/listening.ts';
import { diagnoses } from './diagnoses.ts';
import { allByteValues, BINARY_BYTES, diagnoseEcho, expectSameBytes, sha } from './echo-bytes.ts';
import { trySecondClient } from './second-client.ts';
import { failStillRunning } from './still-running.ts';

export const FILE = 'server.ts';

/** A seeded 127.x.y.z to connect from, where the kernel allows any (Linux, IPv4); else the kernel's choice. */
function clientSourceAddress(context: CheckContext): string | undefined {
  return hasProc && net.isIPv4(context.host) ? pickLoopbackHost(context.random('client-source')) : undefined;
}
// Well above what the kernel buffers for one loopback connection (about 4 MB measured with
// Linux defaults), so a server that drops its queue on "end" visibly loses bytes.
const TAIL_BYTES = 16 * 1024 * 1024;
/** A send queue unchanged this long is stalled: the server has stopped reading. */
const STALL_MS = 150;

interface OneClient {
  /** Set by "listens": the server and the client connected to it. */
  served?: { readonly program: RunningProgram; readonly peer: TcpPeer; readonly port: number };
}

export const oneClient = scenario('one client, served from connect to exit', (): OneClient => ({}), [
  {
    id: 'listens',
    title: 'listens on HOST:PORT and accepts a client',
    hint: 'Call server.listen(PORT, HOST) with both read from process.env (defaults 65432 and "127.0.0.1").',
    async run(context, session) {
      // From a seeded loopback source address: a server that prints a fixed "127.0.0.1" is caught.
      session.served = await startServerAndConnect(context, FILE, { localAddress: clientSourceAddress(context) });
    },
  },
  {
    id: 'prints-peer',
    title: 'prints "Connected by ADDRESS:PORT" naming the client',
    hint: 'In the connection callback, print `Connected by ${socket.remoteAddress}:${socket.remotePort}`: the accepted socket knows who is on the other end.',
    async run(context, session) {
      const { program: server, peer: client } = need(session.served, 'the server started by "listens"');
      const expected = `Connected by ${client.socket.localAddress}:${client.socket.localPort}`;
      const printed = () => server.stdout.text.split('\n').some((line) => line.trim() === expected);
      const deadline = Date.now() + context.ms(3000);
      while (!printed() && Date.now() < deadline && server.running) await sleep(20);
      if (!printed()) {
        const ownAddress = `${client.socket.remoteAddress}:${client.socket.remotePort}`;
        fail(`${FILE} did not print the line "${expected}"`, {
          expected,
          actual: server.stdout.text.trim() ? JSON.stringify(server.stdout.text.trim()) : '(nothing on stdout)',
          diagnosis: server.stdout.text.includes(ownAddress)
            ? diagnoses['prints-own-address']
            : server.stdout.text.includes(`:${client.socket.localPort}`)
              ? diagnoses['prints-fixed-address']
              : undefined,
        });
      }
    },
  },
  {
    id: 'accepts-one-client',
    title: 'refuses a second client while the first is still connected',
    hint: 'Call server.close() in the connection callback: once the first client is accepted, the listening socket must be closed, so that a second connect is refused.',
    async run(context, session) {
      const { port } = need(session.served, 'the server started by "listens"');
      // prints-peer saw "Connected by": the first client is accepted, and still connected.
      const second = await trySecondClient(context, port);
      if (second.outcome === 'refused') return;
      const expected = `the second connect refused (ECONNREFUSED): nothing listens on ${hostPort(context.host, port)} once the first client is accepted`;
      if (second.outcome === 'echoed') {
        fail(`${FILE} accepted a second client and echoed to it while the first was still connected`, {
          expected,
          actual: `connected, and ${second.echoedBytes} bytes came back`,
          diagnosis: diagnoses['closes-listener-late'],
        });
      }
      fail(`${FILE} accepted a second connection while the first client was still connected, and ${second.outcome === 'closed' ? 'closed it without an answer' : 'left it waiting without an answer'}`, {
        expected,
        actual: `connected (the kernel completed the handshake), then ${second.outcome === 'closed' ? 'closed, twice in a row' : `no answer in ${context.ms(1500) / 1000} s`}`,
        diagnosis: second.outcome === 'closed' ? diagnoses['drops-extra-clients'] : diagnoses['leaves-extra-clients-waiting'],
      });
    },
  },
  {
    id: 'echoes-binary',
    title: 'echoes 64 KiB holding all 256 byte values unchanged',
    hint: 'Write back the very Buffer each "data" event gives you. toString(), setEncoding() or string concatenation corrupt bytes that are not valid UTF-8.',
    async run(context, session) {
      const { peer: client } = need(session.served, 'the server started by "listens"');
      const random = context.random('echo-binary');
      const offsets = Array.from({ length: BINARY_BYTES >> 8 }, () => random.int(0, 255));
      const sent = allByteValues((block) => offsets[block]!);
      for (let at = 0; at < sent.length; ) {
        const size = random.int(1, 8192);
        await client.send(sent.subarray(at, at + size));
        // The rest waits for the first piece's echo, so the server cannot get all of it in its first read.
        if (at === 0) await client.untilBytes(size, context.ms(2000), `the echo of the first ${size} bytes`).catch(() => undefined);
        at += size;
      }
      await client
        .untilBytes(sent.length, context.ms(5000), `${sent.length} echoed bytes from ${FILE}`)
        .catch(() => undefined);
      const got = client.data();
      if (got.length === 0 && (client.gotEnd || client.closed)) {
        fail(`${FILE} closed the connection without echoing anything`, { diagnosis: diagnoses['closes-without-echo'] });
      }
      expectSameBytes(sent, got.subarray(0, Math.max(sent.length, got.length)), 'the echo differs from what was sent');
      client.clear();
    },
  },
  {
    id: 'finishes-after-half-close',
    title: 'after the client half-closes, sends back everything, then closes',
    hint: 'On "end", call socket.end(): it sends what is still queued and then FIN. socket.destroy() throws the queue away; never ending leaves the client waiting.',
    async run(context, session) {
      const { peer: client } = need(session.served, 'the server started by "listens"');
      // Stop reading while the tail goes out, so the server's replies pile up in its
      // send queue: a server that destroys the socket on "end" then loses them.
      const tail = context.random('echo-tail').bytes(TAIL_BYTES);
      client.socket.pause();
      const sending = client.send(tail);
      client.end();
      // A server that ignores backpressure reads it all at once; one that respects it stops
      // reading until the grader reads: then the grader's send queue stops shrinking, and the
      // send completing is waited for no longer (at most 1 s either way).
      let sent = false;
      void sending.finally(() => (sent = true)).catch(() => {});
      await untilDoneOrStalled(() => sent, () => client.socket.writableLength, { deadlineMs: context.ms(1000), stallMs: context.ms(STALL_MS) });
      await sleep(context.ms(300));
      client.socket.resume();
      await client
        .untilEndOrClose(context.ms(10_000), `${FILE} to echo ${TAIL_BYTES} bytes and close after the client's FIN`)
        .catch(() => {
          fail(`${FILE} echoed ${client.receivedBytes - BINARY_BYTES} of ${TAIL_BYTES} bytes and did not close the connection within ${context.ms(10_000) / 1000} s of the client's FIN`, {
            expected: 'every byte back, then FIN',
            actual: `${client.receivedBytes - BINARY_BYTES} bytes, connection still open`,
          });
        });
      const got = client.data();
      if (client.error && got.length < tail.length) {
        fail(`the connection was reset (${client.error.code}) after ${got.length} of ${tail.length} bytes came back`, {
          diagnosis: diagnoses['destroys-on-end'],
        });
      }
      // Every byte back is not enough: a reset after them is not the FIN the client waits for.
      if (client.error) {
        fail(`${FILE} sent back ${got.length} of ${tail.length} bytes, then reset the connection (${client.error.code}) instead of closing it with FIN`, {
          expected: `${tail.length} bytes, then FIN`,
          actual: `${got.length} bytes, then ${client.error.code ?? client.error.message}`,
          diagnosis: diagnoses['destroys-on-end'],
        });
      }
      if (got.length !== tail.length || sha(got) !== sha(tail)) {
        const lost = got.length < tail.length;
        fail(`${FILE} closed after sending back ${got.length} of ${tail.length} bytes`, {
          expected: `${tail.length} bytes equal to those sent, then FIN`,
          actual: `${got.length} bytes${lost ? '' : ' that differ from those sent'}, then ${client.gotEnd ? 'FIN' : 'a closed connection'}`,
          diagnosis: lost ? diagnoses['destroys-on-end'] : diagnoseEcho(tail, got),
        });
      }
    },
  },
  {
    id: 'exits',
    title: 'exits by itself with code 0 once its client is gone',
    hint: 'The guide\'s server handles one client. Call server.close() when the client connects, so nothing keeps the process alive after that connection ends.',
    async run(context, session) {
      const { program: server } = need(session.served, 'the server started by "listens"');
      const exit = await exitWithin(server, context.ms(3000));
      if (!exit) failStillRunning(server, context.ms(3000));
      expectCleanExit(server, exit, diagnoses['exits-with-own-code']);
      // tsx's esbuild helper ends shortly after node does; a detached child does not.
      const gone = await pollUntil(() => (server.leftovers().length === 0 ? true : undefined), context.ms(5000), 'the server\'s processes to end').catch(() => false);
      const left = gone ? [] : server.leftovers();
      if (left.length > 0) {
        const holding = boundSockets(server, 'tcp').map((socket) => `${hostPort(socket.address, socket.port)} ${socket.state}`);
        fail(`${FILE} exited, but left ${left.length === 1 ? 'a process' : `${left.length} processes`} of its own running (pid ${left.join(', ')})${holding.length ? ` holding ${holding.join(', ')}` : ''}`, {
          expected: 'nothing of the server left once it exits',
          actual: `pid ${left.join(', ')} still running`,
          diagnosis: diagnoses['detached-child'],
        });
      }
    },
  },
]);
