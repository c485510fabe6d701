// Lesson 1: the blocking echo server. One run serves the first six checks, as the
// guide's server serves one client; the reset check gets a fresh run.
import { createHash } from 'node:crypto';
import { escapeBytes, firstDifference } from '../net/escape.ts';
import type { TcpPeer } from '../net/tcp-peer.ts';
import { pollUntil, sleep } from '../run/deadline.ts';
import type { RunningProgram } from '../run/program.ts';
import { fail, type Diagnosis, type LessonChecks } from './check.ts';
import { diagnoses } from './01-echo-server/diagnoses.ts';
import { trySecondClient } from './01-echo-server/second-client.ts';
import { failStillRunning } from './01-echo-server/still-running.ts';
import { crashReport, expectCleanExit, expectExit, exitWithin } from './shared/exit.ts';
import { boundSockets, hostPort, startServerAndConnect } from './shared/listening.ts';

const FILE = 'server.ts';
const BINARY_BYTES = 64 * 1024;
// Well above what the kernel buffers for one loopback connection (about 4 MB measured with
// Linux defaults), so a server that drops its queue on "end" visibly loses bytes.
const TAIL_BYTES = 16 * 1024 * 1024;

/** Every byte value, 256 times over, in a seeded order. */
function allByteValues(seedOrder: (n: number) => number): Buffer {
  const data = Buffer.alloc(BINARY_BYTES);
  for (let i = 0; i < BINARY_BYTES; i++) data[i] = (i + seedOrder(i >> 8)) & 0xff;
  return data;
}

/** Names the usual cause of a corrupted echo. */
export function diagnoseEcho(sent: Buffer, got: Buffer): Diagnosis | undefined {
  if (got.includes(Buffer.from([0xef, 0xbf, 0xbd]))) return diagnoses['decodes-as-text'];
  const newlines = (data: Buffer) => data.filter((b) => b === 0x0a).length;
  if (got.length > sent.length && newlines(got) > newlines(sent)) return diagnoses['newline-per-chunk'];
  if (got.length < sent.length) return diagnoses['echoes-part'];
  return undefined;
}

function expectSameBytes(sent: Buffer, got: Buffer, what: string): void {
  const at = firstDifference(sent, got);
  if (at === -1) return;
  const from = Math.max(0, at - 8);
  fail(`${what}: ${got.length} bytes came back for ${sent.length} sent, first difference at byte ${at}`, {
    expected: `${escapeBytes(sent.subarray(from, from + 24), 24)} (bytes ${from}… of ${sent.length})`,
    actual: `${escapeBytes(got.subarray(from, from + 24), 24)} (bytes ${from}… of ${got.length})`,
    diagnosis: diagnoseEcho(sent, got),
  });
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export const echoServerChecks: LessonChecks = () => {
  let server: RunningProgram;
  let client: TcpPeer;
  let port: number;

  return [
    {
      id: 'listens',
      title: 'listens on HOST:PORT and accepts a client',
      hint: 'Call server.listen(PORT, HOST) with both read from process.env (defaults 65432 and "127.0.0.1").',
      async run(context) {
        ({ program: server, peer: client, port } = await startServerAndConnect(context, FILE));
      },
    },
    {
      id: 'prints-peer',
      title: 'prints "Connected by ADDRESS:PORT" naming the client',
      hint: 'In the connection callback, print `Connected by ${socket.remoteAddress}:${socket.remotePort}`: the accepted socket knows who is on the other end.',
      async run(context) {
        const expected = `Connected by ${client.socket.localAddress}:${client.socket.localPort}`;
        const printed = () => server.stdout.text.split('\n').some((line) => line.trim() === expected);
        const deadline = Date.now() + context.ms(3000);
        while (!printed() && Date.now() < deadline && server.running) await new Promise((r) => setTimeout(r, 20));
        if (!printed()) {
          const ownAddress = `${client.socket.remoteAddress}:${client.socket.remotePort}`;
          fail(`${FILE} did not print the line "${expected}"`, {
            expected,
            actual: server.stdout.text.trim() ? JSON.stringify(server.stdout.text.trim()) : '(nothing on stdout)',
            diagnosis: server.stdout.text.includes(ownAddress) ? diagnoses['prints-own-address'] : undefined,
          });
        }
      },
    },
    {
      id: 'accepts-one-client',
      title: 'refuses a second client while the first is still connected',
      hint: 'Call server.close() in the connection callback: once the first client is accepted, the listening socket must be closed, so that a second connect is refused.',
      async run(context) {
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
      async run(context) {
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
      async run(context) {
        // Stop reading while the tail goes out, so the server's replies pile up in its
        // send queue: a server that destroys the socket on "end" then loses them.
        const tail = context.random('echo-tail').bytes(TAIL_BYTES);
        client.socket.pause();
        const sending = client.send(tail);
        client.end();
        // A server that ignores backpressure reads it all at once; one that respects it stops
        // reading until the grader reads, so the send completing is waited for only so long.
        await Promise.race([sending, sleep(context.ms(1000))]);
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
      async run(context) {
        const exit = await exitWithin(server, context.ms(3000));
        if (!exit) failStillRunning(server, context.ms(3000));
        expectCleanExit(server, exit);
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
    {
      id: 'survives-reset',
      title: 'a client that resets the connection does not crash it',
      hint: 'Add socket.on("error", (err) => console.error(err.code)). Without an "error" listener, Node turns ECONNRESET into an uncaught exception that kills the process.',
      async run(context) {
        const { program, peer } = await startServerAndConnect(context, FILE, { client: 'client-2' });
        peer.socket.pause();
        await peer.send(context.random('reset').bytes(256 * 1024));
        await new Promise((resolve) => setTimeout(resolve, context.ms(100)));
        peer.reset();
        const exit = await expectExit(program, context.ms(3000), 'its client reset the connection');
        const crash = crashReport(program.stderr.text);
        if (exit.code !== 0 || crash) {
          fail(`${FILE} crashed when its client reset the connection${crash ? `: ${crash.trim()}` : ''}`, {
            expected: 'the error handled (logged), then exit code 0',
            actual: `exit code ${exit.code ?? exit.signal}${crash ? ', uncaught error on stderr' : ''}`,
            diagnosis: crash && /ECONNRESET|Unhandled 'error' event/.test(program.stderr.text) ? diagnoses['no-error-listener'] : undefined,
          });
        }
      },
    },
  ];
};
