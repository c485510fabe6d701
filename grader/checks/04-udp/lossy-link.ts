// Lesson 4's last client scenario: one run of client.ts behind a seeded lossy link (loss,
// duplicates, reordering) to a faithful echo server. Its sends are judged first, then its output.
import { describeFate, LOSSY, UdpProxy, type Direction, type Fate } from '../../net/udp-proxy.ts';
import { udpAddress } from '../../net/udp-peer.ts';
import { formatDuration } from '../../run/deadline.ts';
import type { RunningProgram } from '../../run/program.ts';
import { fail, withFact, type CheckContext, type Diagnosis } from '../check.ts';
import { need, scenario } from '../lesson.ts';
import { expectCleanExit } from '../shared/exit.ts';
import { expectPrintedWasDelivered } from './client-output.ts';
import { MIN_RETRY_MS, SHORT_GAP_MS, SHORT_GAPS_ALLOWED, shortGaps } from './client-pacing.ts';
import { expectOnlyMessages, expectPrinted, FILE, failUnlessExited, graderServer, show, timing } from './client-run.ts';
import { sendCounts, watchClient, type ClientSend, type Ending, type WatchedRun } from './client-watch.ts';
import { diagnoses } from './diagnoses.ts';

/**
 * Messages through the link. With the forced strays below, each mistake of the catalogue that
 * only this link shows was caught on every seed from 1 to 24 with 16. Before the strays were
 * forced, a client that resends on a stray passed on 1 seed in 10 with 24 and on 5 in 10 with 16.
 */
const LOSSY_COUNT = 16;
/**
 * The first echoes through the link each come twice, the copy STRAY_GAP_MS after the first: the
 * client has moved on to the next message by then, so every run holds strays that come right
 * after a first try. A client that sends again on a stray makes one short gap for each, more than
 * SHORT_GAPS_ALLOWED, whatever the seed's own duplicates (drawn, they were too few on 1 seed in 10).
 */
const FORCED_STRAYS = SHORT_GAPS_ALLOWED + 2;
const STRAY_GAP_MS = 15;
const strayEcho = (direction: Direction, index: number): Fate | undefined =>
  direction === 'down' && index < FORCED_STRAYS ? { dropped: false, delaysMs: [0, STRAY_GAP_MS] } : undefined;
/** Total datagrams allowed behind the lossy link: about 1.8 tries per message are needed on average. */
const MAX_SENDS_PER_MESSAGE = 6;

/**
 * Tries of a message this long after its echo reached the client are not tries that crossed it:
 * the timer of an answered message still runs. (Echoes are read and delivered on one thread, so
 * a stalled grader delays both alike.)
 */
const LONG_AFTER_ECHO_MS = 500;
const SENDS_LONG_AFTER_ECHO_ALLOWED = 2;

/**
 * When a run ended early, tries sent this long after their message's echo was delivered, in all
 * messages together, past which the output's failure is put down to answered messages' timers:
 * a correct client's retry crosses its echo, it is never sent a timeout after it.
 */
const SHORT_RUN_AFTER_ECHO_MS = 200;
const SHORT_RUN_RESENDS_ALLOWED = 2;

/** How often each message was sent more than `afterMs` after its echo had been delivered to the client. */
function resendsAfterEcho(proxy: UdpProxy, afterMs: number): Map<string, number> {
  const deliveredAt = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const arrival of proxy.arrivals) {
    const text = arrival.data.toString('latin1');
    if (arrival.direction === 'down') {
      const at = arrival.at + Math.min(...arrival.fate.delaysMs);
      if (!arrival.fate.dropped && at < (deliveredAt.get(text) ?? Infinity)) deliveredAt.set(text, at);
    } else if (arrival.at > (deliveredAt.get(text) ?? Infinity) + afterMs) {
      counts.set(text, (counts.get(text) ?? 0) + 1);
    }
  }
  return counts;
}

/** The message sent most often long after its echo had been delivered to the client, if any was. */
function resentLongAfterEcho(proxy: UdpProxy): { readonly text: string; readonly count: number } | undefined {
  const [text, count] = [...resendsAfterEcho(proxy, LONG_AFTER_ECHO_MS).entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  return count > SENDS_LONG_AFTER_ECHO_ALLOWED ? { text, count } : undefined;
}

/** Answered messages' timers, when they sent more than the short run allows: what a run that ended early points at. */
function answeredTimersStillRan(proxy: UdpProxy): Diagnosis | undefined {
  const counts = resendsAfterEcho(proxy, SHORT_RUN_AFTER_ECHO_MS);
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  if (total <= SHORT_RUN_RESENDS_ALLOWED) return undefined;
  return withFact(diagnoses['resends-answered-message'], `${counts.size} answered messages were sent again ${total} times in all, each more than ${formatDuration(SHORT_RUN_AFTER_ECHO_MS)} after its echo had reached ${FILE}.`);
}

/** The time spent between a message's first and last try, summed: its retry timer's waits, the program's choice. */
function retryWaitMs(sends: readonly ClientSend[]): number {
  const spans = new Map<string, { first: number; last: number }>();
  for (const { text, at } of sends) {
    const span = spans.get(text);
    if (span) span.last = at;
    else spans.set(text, { first: at, last: at });
  }
  return [...spans.values()].reduce((sum, { first, last }) => sum + (last - first), 0);
}

interface LossyLink {
  /** Set by "client-paces-retries": the finished run behind the link. */
  ran?: { readonly program: RunningProgram; readonly run: WatchedRun; readonly ending: Ending; readonly proxy: UdpProxy; readonly startedAt: number };
}

/** Repeats what happened on the lossy link to the datagrams holding `message`, with their times. */
function replayOnLink(context: CheckContext, proxy: UdpProxy, startedAt: number, message: string): void {
  const mine = proxy.arrivals.filter((arrival) => arrival.data.toString('latin1') === message);
  context.transcript.note('lossy-link', `what happened to the ${mine.length} datagrams holding ${show(message)} (times since ${FILE} started):`);
  for (const arrival of mine.slice(0, 40)) {
    const way = arrival.direction === 'up' ? `${FILE} → echo server` : `echo server → ${FILE}`;
    context.transcript.note('lossy-link', `  +${((arrival.at - startedAt) / 1000).toFixed(3)}s ${way}: ${describeFate(arrival.fate)}`);
  }
}

export const lossyLink = scenario('the client behind a lossy link', (): LossyLink => ({}), [
  {
    id: 'client-paces-retries',
    title: `does not flood a lossy link: no bursts of one message, at most ${MAX_SENDS_PER_MESSAGE}×N datagrams for N = ${LOSSY_COUNT}`,
    hint: 'Retransmit from a timer of 100 ms to 1 s that you restart on every try, never in a loop or from setInterval(…, 1). On a real network, a sender that floods makes the loss worse for everyone.',
    async run(context, session) {
      const n = LOSSY_COUNT;
      const echo = await graderServer(context, 'echo-server', { quiet: true });
      echo.onDatagram((datagram) => void echo.send(datagram.data, datagram.port, datagram.address).catch(() => {}));
      const port = await context.freePort('udp');
      const proxy = await UdpProxy.open({
        host: context.host,
        port,
        target: { address: echo.address, port: echo.port },
        seed: context.random('lossy-link').seed,
        forced: strayEcho,
        transcript: context.transcript,
      });
      context.onCleanup(() => proxy.close());
      context.transcript.note(
        'lossy-link',
        `between ${FILE} and the echo server, each way: ${LOSSY.drop * 100}% lost, ${LOSSY.duplicate * 100}% duplicated, every copy delayed 0–${LOSSY.maxDelayMs} ms`,
      );
      const startedAt = performance.now();
      const program = context.start(FILE, { port, args: [String(n)] });
      const limit = MAX_SENDS_PER_MESSAGE * n;
      const rule = (sends: readonly ClientSend[]) => {
        if (sends.length > limit) {
          return `${FILE} sent more than ${limit} datagrams for ${n} messages (${[...sendCounts(sends).values()].filter((c) => c > 10).length} messages sent over 10 times)`;
        }
        const last = sends.at(-1)!;
        const same = sends.filter((send) => send.text === last.text);
        const span = last.at - same[0]!.at;
        // One try per 100 ms is allowed; 10 extra and one per 50 ms absorb a grader that
        // read a backlog late on a loaded machine. A loop or a 1 ms timer exceeds it at once.
        if (same.length > 10 + span / 50) {
          return `${FILE} sent ${show(last.text)} ${same.length} times within ${formatDuration(span)}`;
        }
        return undefined;
      };
      const run = watchClient({
        program,
        ...timing(context, 60_000),
        rule,
        onSend: (listener) =>
          proxy.onArrival((arrival) => {
            if (arrival.direction === 'up') listener({ text: arrival.data.toString('latin1'), at: arrival.at });
          }),
      });
      const ending = await run.ending;
      session.ran = { program, run, ending, proxy, startedAt };
      context.waitedOnProgram(retryWaitMs(run.sends));
      if (ending.kind === 'broke-rule') {
        // Too many datagrams, at a timer's pace, for messages long answered: their timers still run.
        const lingering = resentLongAfterEcho(proxy);
        fail(ending.complaint, {
          expected: `each message at most about once per 100 ms, and at most ${limit} datagrams in all`,
          actual: `${run.sends.length} datagrams in ${formatDuration(run.sends.at(-1)!.at - run.sends[0]!.at)}${lingering ? `; ${show(lingering.text)} ${lingering.count} times more than ${formatDuration(LONG_AFTER_ECHO_MS)} after its echo was delivered` : ''}`,
          diagnosis: lingering ? diagnoses['resends-answered-message'] : diagnoses['retries-faster-when-answered'],
        });
      }
      const short = shortGaps(run.sends, SHORT_GAP_MS);
      if (short > SHORT_GAPS_ALLOWED) {
        fail(`behind the lossy link, ${FILE} sent a message again less than ${formatDuration(SHORT_GAP_MS)} after its previous try ${short} times`, {
          expected: `every retry at least ${formatDuration(MIN_RETRY_MS)} after the previous try of that message`,
          actual: `${short} retries under ${formatDuration(SHORT_GAP_MS)}, ${run.sends.length} datagrams for ${n} messages`,
          diagnosis: diagnoses['retries-faster-when-answered'],
        });
      }
    },
  },
  {
    id: 'client-survives-loss',
    title: `behind a link that loses, duplicates and reorders, prints each of ${LOSSY_COUNT} echoes once, in order, and exits 0`,
    hint: 'Stop-and-wait: keep the number you are waiting for; on every datagram, print it only if it is that message\'s echo, then move on. Ignore duplicates and late echoes.',
    async run(context, session) {
      const { program, run, ending, proxy, startedAt } = need(session.ran, 'the run of "client-paces-retries"');
      const lost = (direction: 'up' | 'down') => proxy.arrivals.filter((a) => a.direction === direction && a.fate.dropped).length;
      context.transcript.note(
        'lossy-link',
        `${proxy.counts.up} datagrams from ${FILE} (${lost('up')} lost on the way), ${proxy.counts.down} echoes back (${lost('down')} lost on the way)`,
      );
      failUnlessExited(run, ending, program, LOSSY_COUNT, udpAddress(context.host, proxy.port));
      expectOnlyMessages(run.sends, LOSSY_COUNT);
      const lingering = resentLongAfterEcho(proxy);
      if (lingering) {
        replayOnLink(context, proxy, startedAt, lingering.text);
        fail(`${FILE} kept sending ${show(lingering.text)} after its echo had reached it`, {
          expected: `no try of ${show(lingering.text)} once its echo has arrived`,
          actual: `${lingering.count} tries of ${show(lingering.text)} more than ${formatDuration(LONG_AFTER_ECHO_MS)} after its echo was delivered`,
          diagnosis: diagnoses['resends-answered-message'],
        });
      }
      expectPrinted(program, LOSSY_COUNT, (message) => replayOnLink(context, proxy, startedAt, message), answeredTimersStillRan(proxy));
      const delivered = new Set(proxy.arrivals.filter((a) => a.direction === 'down' && !a.fate.dropped).map((a) => a.data.toString('latin1')));
      expectPrintedWasDelivered(program.stdout.text, delivered, FILE);
      if (ending.kind === 'exited') expectCleanExit(program, ending.exit);
    },
  },
]);
