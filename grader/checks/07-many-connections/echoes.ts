// Lesson 7's main scenario: eight echoes, four connections at a time, the first held back
// until all the others are answered. The server counts its connections in service at once.
import { fail, withFact } from '../check.ts';
import { need, scenario } from '../lesson.ts';
import { expectCleanExit } from '../shared/exit.ts';
import { allOk, exitAfterSummary, failIfNeverConnected, FILE, printedLines, showLines, startMany, untilSummary, type ManyRun } from './client-run.ts';
import { diagnoseOutput } from './diagnose-output.ts';
import { diagnoses } from './diagnoses.ts';
import type { Answer } from './many-server.ts';
import { brief, LIMIT, makeMessages } from './messages.ts';
import { pollUntil, sleep } from '../../run/deadline.ts';

const COUNT = 8;
/** The first message is the slow one: the others must not wait for it. */
const ANSWERS: readonly Answer[] = ['hold', ...Array<Answer>(COUNT - 1).fill('echo')];

interface Echoes {
  run?: ManyRun;
  /** When the summary line was seen on stdout. */
  summaryAt?: number;
}

export const echoes = scenario('eight echoes, four at a time, the first one slow', (): Echoes => ({}), [
  {
    id: 'sends-each-message',
    title: 'opens one connection per argument and sends each its message, then FIN',
    hint: 'For each argument, net.connect(PORT, HOST) and socket.end(message) once connected: the message\'s UTF-8 bytes, then FIN.',
    async run(context, session) {
      const messages = makeMessages(context.random('echo-messages'), COUNT, { longAt: 5 });
      const run = await startMany(context, 'echoes', messages, ANSWERS);
      session.run = run;
      const { served } = run.server;
      const allArrived = () => messages.every((_, index) => served.some((record) => record.index === index));
      await pollUntil(() => (allArrived() || run.client.exit ? true : undefined), context.ms(10_000), 'every message and its FIN').catch(() => {});
      if (!allArrived()) await sleep(context.ms(100));
      failIfNeverConnected(run, diagnoses['never-connects']);
      const lateFin = served.find((record) => record.messageAt !== undefined && (record.finAt ?? Date.now()) - record.messageAt > context.ms(1000));
      if (lateFin) {
        const waited = ((lateFin.finAt ?? Date.now()) - lateFin.messageAt!) / 1000;
        fail(`${lateFin.peer.name} got its whole message but ${lateFin.finAt ? `its FIN only ${waited.toFixed(1)} s later` : 'no FIN'}`, {
          expected: 'the message, then FIN at once',
          actual: lateFin.finAt ? `FIN ${waited.toFixed(1)} s after the message` : 'no FIN',
          diagnosis: diagnoses['never-half-closes'],
        });
      }
      const missing = messages.findIndex((_, index) => !served.some((record) => record.index === index));
      if (missing >= 0) {
        const got = served.map((record) => `${record.peer.name}: ${record.peer.receivedBytes} bytes${record.finAt ? ', then FIN' : ''}`);
        fail(`message #${missing + 1} never arrived whole, followed by FIN, on a connection of its own`, {
          expected: `${COUNT} connections, connection for #${missing + 1} carrying exactly ${JSON.stringify(brief(messages[missing]!))} then FIN`,
          actual: got.length ? got.join('; ') : 'no connection',
        });
      }
    },
  },
  {
    id: 'limits-concurrency',
    title: `never has more than ${LIMIT} connections open at once`,
    hint: `Keep at most ${LIMIT} connections open: start the next only when one has ended.`,
    async run(_context, session) {
      const { server } = need(session.run, 'the client started by "sends-each-message"');
      if (server.peak.count <= LIMIT) return;
      fail(`${FILE} had ${server.peak.count} connections open at once`, {
        expected: `at most ${LIMIT} at once`,
        actual: `${server.peak.count} at once`,
        diagnosis: withFact(server.peak.count > LIMIT + 1 ? diagnoses['unbounded-concurrency'] : diagnoses['pool-over-limit'], `${server.peak.count} of the ${COUNT} connections were open together.`),
      });
    },
  },
  {
    id: 'not-held-back',
    title: 'a slow connection does not hold the others back: they are all answered while it waits',
    hint: 'Run the connections side by side, up to the limit, and start the next as soon as any one ends.',
    async run(context, session) {
      const run = need(session.run, 'the client started by "sends-each-message"');
      const held = run.server.served.find((record) => record.index === 0);
      if (!held) throw new Error('the held connection was seen by "sends-each-message"');
      await pollUntil(() => (held.releasedBy ? true : undefined), context.ms(5000), 'the held answer to be released').catch(() => {});
      if (held.releasedBy !== 'time') return;
      const during = run.server.served.filter((record) => record !== held && record.acceptedAt >= held.acceptedAt && record.acceptedAt < (held.doneAt ?? Date.now()));
      const after = run.server.served.filter((record) => record !== held && record.acceptedAt >= (held.doneAt ?? Infinity));
      // Every other connection began while #1 waited: the client held none back, and only the
      // grader (slowed by a loaded machine) had not answered them all before the hold ran out.
      if (after.length === 0 && during.length === COUNT - 1) return;
      fail(`while connection #1 waited for its answer, ${during.length} of the other ${COUNT - 1} connections began${after.length ? `; ${after.length} began only after it ended` : ''}`, {
        expected: `the other ${COUNT - 1} connections answered while #1 waits (up to ${LIMIT} open at once)`,
        actual: `${during.length} began during the wait, ${after.length} after it`,
        diagnosis: during.length === 0 ? diagnoses.sequential : after.length > 0 ? diagnoses['waits-for-batch'] : undefined,
      });
    },
  },
  {
    id: 'prints-results',
    title: 'prints one "#N ok: …" line per connection in argument order, then "8 of 8 connections succeeded"',
    hint: 'Print once every connection has ended: one line per argument, in argument order, then the summary line.',
    async run(context, session) {
      const run = need(session.run, 'the client started by "sends-each-message"');
      // A line printed after the summary belongs to this check's judgement too.
      session.summaryAt = (await untilSummary(run, context.ms(5000))) ?? Date.now();
      const printed = printedLines(run);
      const expected = allOk(run.messages);
      if (printed.join('\n') === expected.join('\n')) return;
      fail(`${FILE} printed other lines than every connection's result in order`, {
        expected: showLines(expected),
        actual: showLines(printed),
        diagnosis: diagnoseOutput(run, printed, expected),
      });
    },
  },
  {
    id: 'exits-zero',
    title: 'exits with code 0 right after printing, when every connection succeeded',
    hint: 'Once the summary is printed nothing should keep the process alive: clear every timer, and set exit code 0 when all succeeded.',
    async run(context, session) {
      const run = need(session.run, 'the client started by "sends-each-message"');
      const printedAt = need(session.summaryAt, 'the summary seen by "prints-results"');
      const exit = await exitAfterSummary(run, printedAt, context.ms(1000));
      if (!exit) {
        fail(`${FILE} was still running ${((Date.now() - printedAt) / 1000).toFixed(1)} s after it printed its summary`, {
          expected: 'exits right after printing',
          actual: 'still running',
          diagnosis: diagnoses['deadline-not-cleared'],
        });
      }
      expectCleanExit(run.client, exit);
    },
  },
]);
