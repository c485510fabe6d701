// Lesson 4's client scenario with loss: the grader's echo server drops each message's first
// copy and answers it with a late duplicate of the previous echo; only a retransmission is echoed.
import { escapeBytes } from '../../net/escape.ts';
import { fail } from '../check.ts';
import { scenario } from '../lesson.ts';
import { hostPort } from '../shared/listening.ts';
import { expectPrintedWasDelivered } from './client-output.ts';
import { expectOnlyMessages, expectPrinted, FILE, failUnlessExited, show, threadedServer, timing, watchPeer } from './client-run.ts';
import { sendCounts } from './client-watch.ts';
import { SHORT_GAP_MS, SHORT_GAPS_ALLOWED, shortGaps } from './client-pacing.ts';
import { diagnoses } from './diagnoses.ts';

/** A client stalled while its echo came may send once or twice more at its timer's pace. */
const RESENDS_CROSSING_ECHO = 2;

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
      const flooded = shortGaps(run.sends, SHORT_GAP_MS) > SHORT_GAPS_ALLOWED;
      const resent = flooded ? [] : [...afterEcho.entries()].filter(([, count]) => count > RESENDS_CROSSING_ECHO);
      if (resent.length > 0) {
        const [text, count] = resent[0]!;
        fail(`${FILE} sent ${show(text)} ${count} more times after its echo had been sent to it`, {
          expected: `no try of ${show(text)} once its echo has arrived (at most ${RESENDS_CROSSING_ECHO} crossing it on the way)`,
          actual: `${count} tries of ${show(text)} after its echo; in all ${[...sendCounts(run.sends).entries()].map(([sent, times]) => `${show(sent)} ${times}×`).join(', ')}`,
          diagnosis: diagnoses['resends-answered-message'],
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
