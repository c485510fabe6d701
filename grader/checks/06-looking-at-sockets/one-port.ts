// Lesson 6: one run per port state: a port with the grader's server on it, a port with nothing
// on it, and (started beside it) an address a connect fails on with another code.
import { formatDuration } from '../../run/deadline.ts';
import { fail, skip } from '../check.ts';
import { need } from '../lesson.ts';
import { crashReport, exitWithin } from '../shared/exit.ts';
import { EXIT_MS, RUN_MS } from './contract.ts';
import { diagnoses } from './diagnoses.ts';
import { connectionLeftOpen, expectExitAfterAnswers } from './ending.ts';
import { expectErrorReport } from './error-report.ts';
import { claim, expectConnected, lastGreetingAt, openPort } from './open-port.ts';
import { expectReport } from './report.ts';
import { FILE, observe, startChecker, untilLinesOrExit } from './run.ts';
import type { PortsCheck } from './session.ts';
import { LOOPBACK_BROADCAST, unreachableAddress } from './unreachable.ts';

const OPEN_RUN = 'the open port\'s run of reports-open';

export const onePortChecks: PortsCheck[] = [
  {
    id: 'reports-open',
    title: 'reports a port with a listening server as "PORT open"',
    hint: 'Connect with net.connect(port, HOST), HOST from the environment, and print `${port} open` on "connect".',
    async run(context, session) {
      const port = await context.freePort();
      const server = await openPort(context, port, 'greeting');
      const open = { run: startChecker(context, [String(port)]), server, claim: claim(port, server) };
      session.open = open;
      const lines = await untilLinesOrExit(open.run, 1, context.ms(RUN_MS));
      expectReport(open.run, lines, port, 'open');
    },
  },
  {
    id: 'connects-to-open-port',
    title: 'reports "open" only after connecting: the grader\'s server on that port accepted its connection',
    hint: 'Decide "open" in the "connect" handler of your own net.connect(port, HOST): the grader counts the connections its servers accept.',
    async run(context, session) {
      const { run, claim: openClaim } = need(session.open, OPEN_RUN);
      await expectConnected(context, run, [openClaim]);
    },
  },
  {
    id: 'reports-closed',
    title: 'reports a port with nothing listening as "PORT closed", without crashing on ECONNREFUSED',
    hint: 'Listen for "error" on the socket: err.code === "ECONNREFUSED" means the port is closed. Without an "error" listener, Node throws and the process dies.',
    async run(context, session) {
      const port = await context.freePort();
      // The next check's run, started now so that both wait together.
      const unreachable = await unreachableAddress(context, port);
      const closedRun = startChecker(context, [String(port)]);
      session.closed = closedRun;
      session.error = null;
      if (unreachable) {
        context.transcript.note('grader', `the next run gets HOST=${unreachable.host}, the loopback network's broadcast address: the kernel refuses a TCP connect to it with ${unreachable.code} before sending anything`);
        session.error = { run: startChecker(context, [String(port)], { HOST: unreachable.host }), unreachable };
      }
      await untilLinesOrExit(closedRun, 1, context.ms(RUN_MS));
      // A crash (or another line) right after the line still counts; one that keeps running is the next check's.
      await exitWithin(closedRun.program, context.ms(EXIT_MS));
      const lines = observe(closedRun);
      expectReport(closedRun, lines, port, 'closed');
      const crash = crashReport(closedRun.program.stderr.text);
      if (crash) {
        fail(`${FILE} printed "${port} closed" but then crashed: ${crash.trim()}`, {
          expected: 'one line, then a normal exit',
          actual: `an uncaught error: ${crash.trim()}`,
          diagnosis: diagnoses['throws-after-report'],
        });
      }
    },
  },
  {
    id: 'reports-error',
    title: 'reports a connect that fails with another error than ECONNREFUSED as "PORT error CODE", not "closed"',
    hint: 'Only ECONNREFUSED means closed. For any other err.code, report `${port} error ${err.code}`.',
    async run(context, session) {
      const error = need(session.error, 'the failing connect\'s run of reports-closed');
      if (!error) skip(`this machine does not refuse a TCP connect to ${LOOPBACK_BROADCAST} at once`);
      await untilLinesOrExit(error.run, 1, context.ms(RUN_MS));
      await exitWithin(error.run.program, context.ms(EXIT_MS));
      expectErrorReport(error.run, observe(error.run), error.unreachable);
    },
  },
  {
    id: 'exits-after-answers',
    title: `exits by itself within ${formatDuration(EXIT_MS)} of printing its last answer`,
    hint: 'Once every port is reported, nothing may keep the event loop alive: destroy every socket and clear every timer, and the process ends by itself.',
    async run(context, session) {
      const open = need(session.open, OPEN_RUN);
      await expectExitAfterAnswers(context, open.run, connectionLeftOpen(open.server), () => lastGreetingAt(open.server));
      await expectExitAfterAnswers(context, need(session.closed, 'the closed port\'s run of reports-closed'));
    },
  },
];
