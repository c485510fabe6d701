// Lesson 6: a server that accepts and never says anything: "open" must come on "connect", and
// the program must close that connection at once (destroy(), since end() waits for a FIN that
// never comes) and exit.
import { formatDuration } from '../../run/deadline.ts';
import { fail, type Diagnosis } from '../check.ts';
import type { GraderServer } from '../../net/tcp-server.ts';
import { need } from '../lesson.ts';
import { exitWithin } from '../shared/exit.ts';
import { RUN_MS } from './contract.ts';
import { diagnoses } from './diagnoses.ts';
import { claim, expectConnected, openPort } from './open-port.ts';
import { expectReport } from './report.ts';
import { FILE, startChecker, untilLinesOrExit } from './run.ts';
import type { PortsCheck } from './session.ts';
import { SocketWatch } from './socket-watch.ts';
import { expectClosedPromptly } from './timing.ts';

const DESTROY_HINT = 'Call socket.destroy() as soon as you know the answer. socket.end() only sends your FIN and then waits for the server\'s: a server that stays silent never sends it, and the open socket keeps your process alive.';
/** How long the program is given to exit after its answer to the silent server. */
const GONE_MS = 5000;

/** Why the program is still running: its FIN went out (end()), or its connection is simply open. */
function stillRunningDiagnosis(server: GraderServer): Diagnosis {
  const finned = server.peers.length > 0 && server.peers.every((peer) => peer.gotEnd || peer.closed);
  return finned ? diagnoses['end-waits-for-fin'] : diagnoses['silent-connection-left-open'];
}

export const silentServerChecks: PortsCheck[] = [
  {
    id: 'silent-server-open',
    title: 'reports "open" for a server that accepts and never says anything (does not wait for data)',
    hint: 'Decide on "connect": the connection is established, that is all "open" means. Never wait for "data".',
    async run(context, session) {
      const port = await context.freePort();
      const server = await openPort(context, port, 'silent');
      const silentClaim = claim(port, server);
      const watch = await SocketWatch.start(context, port, 'HELD');
      const run = startChecker(context, [String(port)]);
      session.silent = { run, server, watch };
      const lines = await untilLinesOrExit(run, 1, context.ms(RUN_MS));
      expectReport(run, lines, port, 'open');
      await expectConnected(context, run, [silentClaim]);
    },
  },
  {
    id: 'closes-connections',
    title: 'closes its connection to that silent server and exits by itself',
    hint: DESTROY_HINT,
    async run(context, session) {
      const { run, server, watch } = need(session.silent, 'the silent server\'s run of silent-server-open');
      const exit = await exitWithin(run.program, context.ms(GONE_MS));
      const peers = server.peers;
      if (!exit) {
        const diagnosis = stillRunningDiagnosis(server);
        fail(`${FILE} was still running ${formatDuration(context.ms(GONE_MS))} after it printed its answer`, {
          expected: 'the connection closed and the process gone',
          actual: diagnosis === diagnoses['end-waits-for-fin'] ? 'the server got a FIN from it, but the process is still running' : 'the connection is still open and the process still running',
          diagnosis,
        });
      }
      // The kernel closes what the process left open when it exits; each end is seen shortly after.
      await Promise.all(peers.map((peer) => peer.untilEndOrClose(context.ms(3000), 'the checker\'s connection to end').catch(() => {})));
      const open = peers.filter((peer) => !peer.gotEnd && !peer.closed);
      if (open.length > 0) {
        fail(`${open.length} of ${peers.length} connections to the silent server were still open after ${FILE} exited`, {
          expected: 'every connection closed by the time the checker exits',
          actual: `${open.length} still open`,
        });
      }
      // Held half-closed: end(), where destroy() was needed.
      await watch.stop();
      expectClosedPromptly(server.port, watch, watch.sawHalfClosed ? diagnoses['end-waits-for-fin'] : undefined);
    },
  },
];
