// Lesson 4's second server scenario: server.ts started on a port the grader holds. A server that
// cannot bind HOST:PORT must say so and fail, not serve nobody.
import { escapeBytes } from '../../net/escape.ts';
import { UdpPeer } from '../../net/udp-peer.ts';
import { formatDuration } from '../../run/deadline.ts';
import { describeExit } from '../../run/program.ts';
import { fail } from '../check.ts';
import { scenario } from '../lesson.ts';
import { exitAfterReport } from '../shared/exit.ts';
import { hostPort } from '../shared/listening.ts';
import { diagnoses } from './diagnoses.ts';
import { FILE } from './server-session.ts';

export const bindFailure = scenario('the echo server on a port already taken', () => ({}), [
  {
    id: 'reports-bind-failure',
    title: 'when HOST:PORT is taken, prints an error naming HOST:PORT and exits non-zero',
    hint: "socket.bind() reports a taken port as an 'error' event: print one line naming HOST:PORT and the error code, set process.exitCode = 1 and close the socket.",
    async run(context) {
      const port = await context.freePort('udp');
      const holder = await UdpPeer.open(context.host, 'port-holder', context.transcript, { port });
      context.onCleanup(() => holder.close());
      context.transcript.note('port-holder', `holds ${hostPort(context.host, port)} and starts ${FILE} there, which cannot bind it`);
      const program = context.start(FILE, { port });
      const exit = await exitAfterReport(program, { deadlineMs: context.ms(10_000), quietMs: context.ms(2000) });
      const where = hostPort(context.host, port);
      if (!exit) {
        const said = program.stderr.text.trim();
        fail(`${FILE} could not bind ${where} (the grader holds it) but was still running ${formatDuration(Date.now() - program.startedAt)} after it started`, {
          expected: 'an error naming HOST:PORT and a non-zero exit',
          actual: `still running, bound to nothing${said ? `, after writing ${escapeBytes(Buffer.from(said), 120)} on stderr` : ''}`,
          diagnosis: diagnoses['keeps-running-when-bind-fails'],
        });
      }
      const stderr = program.stderr.text.trim();
      if (exit.code === 0) {
        fail(`${FILE} could not bind ${where} (the grader holds it) and exited with code 0`, {
          expected: 'a non-zero exit code',
          actual: `exit code 0; stderr: ${stderr ? escapeBytes(Buffer.from(stderr), 120) : '(nothing)'}`,
          diagnosis: diagnoses['exits-zero-when-bind-fails'],
        });
      }
      if (!(stderr.includes(context.host) && stderr.includes(String(port)))) {
        fail(`${FILE} could not bind ${where} and ${describeExit(exit)}, but its error does not name ${where}`, {
          expected: `a line on stderr naming ${where}`,
          actual: stderr ? escapeBytes(Buffer.from(stderr), 120) : '(nothing on stderr)',
          diagnosis: diagnoses['bind-error-names-no-address'],
        });
      }
    },
  },
]);
