// Lesson 4's client scenario with loss: the grader's echo server drops each message's first
// copy and answers it with a late duplicate of the previous echo; only a retransmission is echoed.
import { escapeBytes } from '../../net/escape.ts';
import { formatDuration } from '../../run/deadline.ts';
import { fail, withFact } from '../check.ts';
import { scenario } from '../lesson.ts';
import { hostPort } from '../shared/listening.ts';
import { expectPrintedWasDelivered } from './client-output.ts';
import { expectOnlyMessages, expectPrinted, FILE, failUnlessExited, show, threadedServer, timing, watchPeer } from './client-run.ts';
import { sendCounts, type ClientSend } from './client-watch.ts';
import { SHORT_GAP_MS, SHORT_GAPS_ALLOWED, shortGaps } from './client-pacing.ts';
import { diagnoses } from './diagnoses.ts';

/** A client stalled while its echo came may send once or twice more at its timer's pace. */
const RESENDS_CROSSING_ECHO = 2;
/**
 * A first retry sooner than this breaks the 100 ms floor, with 30 ms of margin for the stamps
 * (taken on a thread of their own): one such retry is enough, since load only makes timers late. Not judged: msg 1, whose timer is set in the program's first
 * tick, when Node's clock may be tens of milliseconds behind; and gaps under BURST_MS, copies
 * sent together, which client-retry-window tells apart.
 */
const FIRST_RETRY_SOONEST_MS = 70;
const BURST_MS = 10;

/** The wait before each message's first retry, in the order the retries came. */
function firstRetryWaits(sends: readonly ClientSend[]): Array<{ readonly text: string; readonly ms: number }> {
  const firstAt = new Map<string, number>();
  const retried = new Set<string>();
  const waits: Array<{ readonly text: string; readonly ms: number }> = [];
  for (const { text, at } of sends) {
    const first = firstAt.get(text);
    if (first === undefined) firstAt.set(text, at);
    else if (!retried.has(text)) {
      retried.add(text);
      waits.push({ text, ms: at - first });
    }
  }
  return waits;
}

export const clientRetransmits = scenario('the client when each first copy is lost', () => ({}), [
  {
    id: 'client-retransmits',
    title: 'sends a message again when its datagram is lost',
    hint: diagnoses['never-retransmits'].hint,
    async run(context) {
      const n = 3;
      // Its thread drops each first copy, answering it with a late duplicate of the echo before.
      const server = await threadedServer(context, 'echo-server', 'drop-first-copy');
      const delivered = new Set<string>();
      /** Tries of a message read after its echo was sent, each at a timer's pace after the try before. */
      const afterEcho = new Map<string, number>();
      const lastTry = new Map<string, number>();
      server.onDatagram((datagram, action) => {
        const text = datagram.data.toString('latin1');
        const paced = datagram.at - (lastTry.get(text) ?? -Infinity) >= SHORT_GAP_MS;
        lastTry.set(text, datagram.at);
        if (action !== 'echoed') return;
        if (delivered.has(text) && paced) afterEcho.set(text, (afterEcho.get(text) ?? 0) + 1);
        delivered.add(text);
      });
      const program = context.start(FILE, { port: server.port, args: [String(n)] });
      const run = watchPeer(server, program, timing(context, 30_000));
      const ending = await run.ending;
      failUnlessExited(run, ending, program, n, hostPort(context.host, server.port), ' (the grader dropped that copy, as a lossy network may)');
      expectOnlyMessages(run.sends, n);
      // A try or two that crossed its echo are no mistake; more are a timer left running, or the
      // wrong text. A flood crosses its echo at every turn: client-retry-window judges floods.
      // Copies closer than BURST_MS, more than the load makes: a loop or bursts, not a timer.
      const flooded = shortGaps(run.sends, BURST_MS) > SHORT_GAPS_ALLOWED;
      const resent = flooded ? [] : [...afterEcho.entries()].filter(([, count]) => count > RESENDS_CROSSING_ECHO);
      if (resent.length > 0) {
        const [text, count] = resent[0]!;
        fail(`${FILE} sent ${show(text)} ${count} more times after its echo had been sent to it`, {
          expected: `no try of ${show(text)} once its echo has arrived (at most ${RESENDS_CROSSING_ECHO} crossing it on the way)`,
          actual: `${count} tries of ${show(text)} after its echo; in all ${[...sendCounts(run.sends).entries()].map(([sent, times]) => `${show(sent)} ${times}×`).join(', ')}`,
          diagnosis: diagnoses['resends-answered-message'],
        });
      }
      const waits = firstRetryWaits(run.sends);
      const opening = waits.find(({ text }) => text === run.sends[0]?.text);
      const soon = flooded ? [] : waits.filter(({ text, ms }) => text !== opening?.text && ms >= BURST_MS && ms < FIRST_RETRY_SOONEST_MS);
      if (soon.length >= 1) {
        // Paced at first and sooner once answered: a timeout taken from the round trip, without the floor.
        const sped = opening !== undefined && opening.ms >= FIRST_RETRY_SOONEST_MS;
        fail(`${FILE} sent messages again sooner than 100 ms after their first try`, {
          expected: 'each retry 100 ms to 1 s after the try before it, the first retry included',
          actual: [...(opening ? [opening] : []), ...soon].map(({ text, ms }) => `${show(text)} again after ${formatDuration(Math.round(ms))}`).join(', '),
          diagnosis: sped
            ? withFact(diagnoses['retries-faster-when-answered'], `Its first retry of ${show(opening.text)} came ${formatDuration(Math.round(opening.ms))} after the first try, those of later messages about ${Math.round(soon[0]!.ms)} ms after.`)
            : withFact(diagnoses['retry-timer-too-short'], `Its first retries came about ${Math.round(soon[0]!.ms)} ms after the first try.`),
        });
      }
      if (ending.kind === 'exited' && ending.exit.code !== 0) {
        const tries = [...sendCounts(run.sends).entries()].map(([text, count]) => `${show(text)} ${count}×`).join(', ');
        fail(`${FILE} gave up (exit code ${ending.exit.code}) after sending ${tries}; only each first copy was lost`, {
          expected: 'each message sent again until answered, then exit code 0',
          actual: `exit code ${ending.exit.code}; stderr: ${escapeBytes(Buffer.from(program.stderr.text.trim()), 120)}`,
          diagnosis: diagnoses['never-retransmits'],
        });
      }
      expectPrinted(program, n);
      expectPrintedWasDelivered(program.stdout.text, delivered, FILE);
    },
  },
]);
