// Lesson 4, the UDP echo server, beyond the echo itself: a retransmission is answered like
// any datagram, and a server that cannot bind HOST:PORT says so and fails.
import { escapeBytes } from '../../net/escape.ts';
import { udpAddress, UdpPeer } from '../../net/udp-peer.ts';
import { isProbe } from '../../net/udp-ready.ts';
import { describeExit, type RunningProgram } from '../../run/program.ts';
import { fail, type Check, type CheckContext } from '../check.ts';
import { exitWithin } from '../shared/exit.ts';
import { hostPort } from '../shared/listening.ts';

const FILE = 'server.ts';

export interface ServerUnderTest {
  readonly server: RunningProgram;
  readonly port: number;
  readonly peer: UdpPeer;
}

/** The same datagram, from the same sender, sent again after its echo came back: a client's retransmission. */
export function answersRepeatsCheck(under: () => ServerUnderTest): Check {
  return {
    id: 'answers-repeats',
    title: 'answers the same datagram from the same sender every time it arrives (a retransmission)',
    hint: 'Echo every datagram that arrives, even one identical to an earlier one: remember nothing between "message" events.',
    async run(context) {
      const { server, port, peer } = under();
      const text = `msg ${context.random('repeat').int(1, 9)}`;
      const from = peer.count;
      const echoes = () => peer.since(from).filter((datagram) => !isProbe(datagram.data) && datagram.data.toString('latin1') === text).length;
      for (const copy of [1, 2, 3]) {
        await peer.send(text, port, context.host);
        await peer.until(() => echoes() >= copy || !server.running, context.ms(2000), `the echo of copy ${copy} of ${text}`).catch(() => undefined);
        if (echoes() >= copy) continue;
        if (!server.running) fail(`${FILE} ${describeExit(server.exit!)} after the same datagram came ${copy === 1 ? 'once' : 'again'}`);
        fail(`copy ${copy} of ${escapeBytes(Buffer.from(text))} from ${udpAddress(peer.address, peer.port)} got no echo, although copy 1 did`, {
          expected: `an echo for each of the 3 identical datagrams`,
          actual: `${echoes()} echo${echoes() === 1 ? '' : 'es'}; none for copy ${copy} within ${context.ms(2000) / 1000} s`,
          hint: 'A repeated datagram from the same sender was not answered. That is what a retransmission looks like: the client sends the same message again because the echo was lost on the way back. Echo every datagram; do not remember what you already answered.',
        });
      }
    },
  };
}

export interface BindFailureRun {
  readonly program: RunningProgram;
  readonly port: number;
}

/**
 * Starts a second server.ts on a port the grader holds. Started early, while other checks
 * talk to the first server, so its start-up costs no time of its own; judged later.
 */
export async function beginBindFailure(context: CheckContext): Promise<BindFailureRun> {
  const port = await context.freePort('udp');
  const holder = await UdpPeer.open(context.host, 'port-holder', context.transcript, { port });
  context.onCleanup(() => holder.close());
  context.transcript.note('port-holder', `holds ${hostPort(context.host, port)} and starts a second ${FILE} there, which cannot bind it`);
  return { program: context.start(FILE, { port }), port };
}

/** A second run of the server on a port the grader holds: it must fail loudly, not serve nobody. */
export function reportsBindFailureCheck(begun: () => Promise<BindFailureRun> | undefined): Check {
  return {
    id: 'reports-bind-failure',
    title: 'when HOST:PORT is taken, prints an error naming HOST:PORT and exits non-zero',
    hint: "socket.bind() reports a taken port as an 'error' event: print one line naming HOST:PORT and the error code, set process.exitCode = 1 and close the socket.",
    async run(context) {
      const { program, port } = await (begun() ?? beginBindFailure(context));
      const exit = await exitWithin(program, context.ms(10_000));
      const where = hostPort(context.host, port);
      if (!exit) {
        fail(`${FILE} could not bind ${where} (the grader holds it) but was still running ${context.ms(10_000) / 1000} s later`, {
          expected: 'an error naming HOST:PORT and a non-zero exit',
          actual: 'still running, bound to nothing',
          hint: 'A server that could not bind serves nobody: when bind() fails (an "error" event before the bind callback), print the error, set process.exitCode = 1 and close the socket; nothing else should keep the process alive.',
        });
      }
      const stderr = program.stderr.text.trim();
      if (exit.code === 0) {
        fail(`${FILE} could not bind ${where} (the grader holds it) and exited with code 0`, {
          expected: 'a non-zero exit code',
          actual: `exit code 0; stderr: ${stderr ? escapeBytes(Buffer.from(stderr), 120) : '(nothing)'}`,
          hint: 'The bind failed but the exit code says success: whoever started the server cannot tell it is not running. In the "error" listener, before the socket is bound, set process.exitCode = 1 and close the socket.',
        });
      }
      if (!(stderr.includes(context.host) && stderr.includes(String(port)))) {
        fail(`${FILE} could not bind ${where} and ${describeExit(exit)}, but its error does not name ${where}`, {
          expected: `a line on stderr naming ${where}`,
          actual: stderr ? escapeBytes(Buffer.from(stderr), 120) : '(nothing on stderr)',
          hint: 'Name what could not be bound, e.g. console.error(`cannot bind ${HOST}:${PORT}: ${err.code}`): "EADDRINUSE" alone does not say which address was taken.',
        });
      }
    },
  };
}
