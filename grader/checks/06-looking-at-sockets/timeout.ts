// Lesson 6: a port that never answers (Linux only): "PORT timeout" about 2 s after the connect
// began, the connecting socket destroyed, and the program gone soon after.
import { skip } from '../check.ts';
import { hostPort } from '../shared/listening.ts';
import { CONNECT_TIMEOUT_MS, RUN_MS, TIMEOUT_SLACK_MS } from './contract.ts';
import { connectLeftTrying, expectExitAfterAnswers } from './ending.ts';
import { expectReport } from './report.ts';
import { FILE, startChecker, untilLinesOrExit } from './run.ts';
import type { PortsCheck } from './session.ts';
import { SocketWatch } from './socket-watch.ts';
import { expectConnectGivenUp, expectTimeoutWindow } from './timing.ts';
import { canDropSyns, listenDroppingSyns } from '../shared/dropping-listener.ts';

/**
 * Beyond the 2 s, how long a connect may go unanswered with nothing printed before the program
 * counts as having no timeout: well past the latest a late "timeout" is still told apart.
 */
const SILENT_LIMIT_SLACK_MS = 3 * TIMEOUT_SLACK_MS;

export const timeoutCheck: PortsCheck = {
  id: 'reports-timeout',
  title: `reports a port that never answers as "PORT timeout" after ${CONNECT_TIMEOUT_MS / 1000} s, instead of hanging`,
  hint: `A connect nobody answers can hang for minutes before the kernel gives up (ETIMEDOUT). socket.setTimeout(${CONNECT_TIMEOUT_MS}) (or net.connect({ ..., timeout: ${CONNECT_TIMEOUT_MS} })) fires "timeout": destroy the socket there and report "PORT timeout".`,
  async run(context) {
    if (!canDropSyns) skip('only Linux lets the grader make a port that drops connections');
    const port = await context.freePort();
    await listenDroppingSyns(context, port);
    context.transcript.note('grader', `${hostPort(context.host, port)} listens with a full accept queue: the kernel drops every new SYN`);
    const watch = await SocketWatch.start(context, port, 'SYN-SENT');
    const run = startChecker(context, [String(port)]);
    // Once the kernel has shown the connect unanswered for far longer than the contract's 2 s, a
    // line can only be too late: no need to wait out the whole run.
    const hopeless = () => watch.first !== undefined && Date.now() - watch.first.firstSeenAt > CONNECT_TIMEOUT_MS + context.ms(SILENT_LIMIT_SLACK_MS);
    const lines = await untilLinesOrExit(run, 1, context.ms(RUN_MS), undefined, hopeless);
    expectReport(run, lines, port, 'timeout');
    if (watch.first) context.transcript.note('grader', `${FILE}'s connect to ${hostPort(context.host, port)} was seen in SYN-SENT: its SYN is unanswered`);
    expectTimeoutWindow(context, run, port, watch.first);
    await expectExitAfterAnswers(context, run, connectLeftTrying(port, watch));
    await watch.stop();
    expectConnectGivenUp(port, watch);
  },
};
