// Lesson 7: a connect that takes a second. The grader's listener drops the client's first SYN
// (its accept queue is full: shared/dropping-listener.ts) and lets the next one through, which
// the client's kernel sends 1 s later; the echo comes 1.5 s after that. Counted from
// net.connect(), the deadline passed 0.5 s before the echo: "timed out". Counted from the
// "connect" event, it had 0.5 s to go, and the client prints "ok".
import { lookAtListener } from '../../net/proc-net-tcp.ts';
import { formatDuration, pollUntil } from '../../run/deadline.ts';
import { fail, skip, withFact } from '../check.ts';
import { scenario } from '../lesson.ts';
import { canDropSyns, DROP_SEEN_MS, listenDroppingSyns, type DroppingListener } from '../shared/dropping-listener.ts';
import { hostPort } from '../shared/listening.ts';
import { FILE, failIfNeverConnected, printedLines, showLines, startMany, untilSummary } from './client-run.ts';
import { diagnoses } from './diagnoses.ts';
import { AFTER_SLOW_CONNECT_MS } from './many-server.ts';
import { failedLine, makeMessages, parseLine, summaryLine } from './messages.ts';

/** Well past the 2 s deadline, and past an echo to a connect whose SYN was dropped twice (its third try comes 2 s after the first on Linux 6.5 and later, 3 s before). */
const STOP_WAITING_MS = 6000;

export const slowConnect = scenario('a connect that takes a second', () => ({}), [
  {
    id: 'deadline-from-connect-call',
    title: 'counts the deadline from the net.connect() call: a connect that took 1 s leaves 1 s for the echo',
    hint: 'Start each connection\'s timer right after net.connect(), not in its "connect" listener: the handshake is part of its 2 s.',
    async run(context) {
      if (!canDropSyns) skip('only Linux lets the grader drop a SYN, to make a connect take a second');
      const messages = makeMessages(context.random('slow-connect'), 1);
      const port = await context.freePort();
      const where = hostPort(context.host, port);
      let gate: DroppingListener | undefined;
      // The grader's own unanswered connect, which proved the queue full, is not the client's.
      let graders = new Set<string>();
      const run = await startMany(context, 'slow-connect', messages, ['after-slow-connect'], async (server) => {
        gate = await listenDroppingSyns(context, port, { host: context.host, port: server.port });
        graders = new Set(lookAtListener(context.host, port)?.waiting);
        context.transcript.note('grader', `${where} listens with a full accept queue: the kernel drops the client's first SYN, then lets in the one it sends again`);
        return port;
      });
      // Opened once the kernel has shown the client's connect unanswered for a while (its SYN was
      // dropped, not just not yet processed); its next SYN, 1 s after the first, gets in.
      const waitingSince = new Map<string, number>();
      const clientDropped = () => {
        const now = Date.now();
        const waiting = (lookAtListener(context.host, port)?.waiting ?? []).filter((local) => !graders.has(local));
        for (const local of waiting) if (!waitingSince.has(local)) waitingSince.set(local, now);
        const since = Math.min(...waiting.map((local) => waitingSince.get(local)!));
        return now - since >= context.ms(DROP_SEEN_MS) ? since : undefined;
      };
      const synSeenAt = await pollUntil(
        () => clientDropped() ?? (run.client.exit ? 0 : undefined),
        context.ms(10_000),
        `${FILE}'s SYN to ${where}`,
        { firstDelayMs: 10, maxDelayMs: 50 },
      ).catch(() => 0);
      gate!.open();
      if (synSeenAt) context.transcript.note('grader', `${FILE}'s connect to ${where} was seen unanswered (SYN-SENT); the listener accepts from now on`);
      await untilSummary(run, context.ms(STOP_WAITING_MS));
      failIfNeverConnected(run, diagnoses['never-connects']);
      const printed = printedLines(run);
      const expected = [failedLine(0, 'timed out'), summaryLine(0, 1)];
      if (printed.join('\n') === expected.join('\n')) return;
      const accepted = run.server.served[0]?.acceptedAt;
      const connectMs = synSeenAt && accepted ? accepted - synSeenAt : undefined;
      const printedOk = printed.map(parseLine).some((line) => line?.number === 1 && line.ok);
      fail(`${FILE} printed other lines than the result of a connection whose connect took a second`, {
        expected: showLines(expected),
        actual: showLines(printed),
        diagnosis: printedOk
          ? withFact(
              diagnoses['deadline-from-connect-event'],
              `Its connect took ${connectMs === undefined ? 'about 1 s' : `at least ${formatDuration(connectMs)}`} (the first SYN was dropped), and the echo came ${formatDuration(AFTER_SLOW_CONNECT_MS)} after it.`,
            )
          : undefined,
      });
    },
  },
]);
