// Lesson 7: connections that fail, each its own way, beside four that succeed: never answered,
// trickled past the deadline, reset in the middle of the echo, cut short. The first four hold
// all four slots for 1.2 s, so #7 starts late, and its answer (1.2 s after its connect) comes
// inside its own deadline but past 2 s from the client's start.
import { fail, withFact, type Diagnosis } from '../check.ts';
import { need, scenario } from '../lesson.ts';
import { exitAfterSummary, FILE, failIfNeverConnected, printedLines, showLines, startMany, untilSummary, type ManyRun } from './client-run.ts';
import { diagnoses } from './diagnoses.ts';
import { WAIT_LONG_MS, WAIT_MS, type Answer } from './many-server.ts';
import { failedLine, makeMessages, okLine, parseLine, summaryLine } from './messages.ts';

const ANSWERS: readonly Answer[] = ['silent', 'trickle', 'wait', 'wait', 'reset', 'short', 'wait-long', 'echo'];
const SUCCEEDS = new Set<Answer>(['echo', 'wait', 'wait-long']);
/** Well past the 2 s deadline of the last connection to start. */
const STOP_WAITING_MS = 6000;

interface Failures {
  run?: ManyRun;
  /** When the summary line was seen on stdout. */
  summaryAt?: number;
}

function expectedLines(messages: readonly string[]): string[] {
  const lines = ANSWERS.map((answer, index) => {
    const message = messages[index]!;
    const bytes = Buffer.byteLength(message);
    switch (answer) {
      case 'reset':
        return failedLine(index, 'ECONNRESET');
      case 'silent':
      case 'trickle':
        return failedLine(index, 'timed out');
      case 'short':
        return failedLine(index, `short reply (${Math.floor(bytes / 2)} of ${bytes} bytes)`);
      default:
        return okLine(index, message);
    }
  });
  const succeeded = ANSWERS.filter((answer) => SUCCEEDS.has(answer)).length;
  return [...lines, summaryLine(succeeded, ANSWERS.length)];
}

function diagnose(run: ManyRun, printed: readonly string[]): Diagnosis | undefined {
  if (!run.client.exit && printed.length === 0) {
    const silent = ANSWERS.indexOf('silent');
    return withFact(diagnoses['no-deadline'], `Connection #${silent + 1} got no answer; ${STOP_WAITING_MS / 1000} s later the client had printed nothing.`);
  }
  const lineFor = (answer: Answer) => printed.map(parseLine).find((line) => line?.number === ANSWERS.indexOf(answer) + 1);
  if (lineFor('trickle')?.ok) return diagnoses['idle-timeout'];
  if (lineFor('short')?.ok) return diagnoses['short-reply-as-ok'];
  const late = lineFor('wait-long');
  if (late && !late.ok && late.rest === 'timed out') {
    return withFact(
      diagnoses['global-deadline'],
      `Connection #${late.number} could only start once a slot was free, about ${WAIT_MS / 1000} s in, and its echo came ${WAIT_LONG_MS / 1000} s after its connect.`,
    );
  }
  return undefined;
}

export const failures = scenario('connections that fail: reset, never answered, cut short, too slow', (): Failures => ({}), [
  {
    id: 'reports-failures',
    title: 'names each failed connection\'s reason (timed out, ECONNRESET, short reply) in argument order, with the summary; each deadline counts from its own connect',
    hint: 'Every connection ends one way: "end" (compare the reply with the message), "error" (err.code), or its own deadline ("timed out"). Record the result at its index; print them in order.',
    async run(context, session) {
      const random = context.random('failure-messages');
      // The trickled echo outlasts the 2 s deadline (12 to 14 bytes at one per 300 ms: 3.6 to
      // 4.2 s) and ends well inside STOP_WAITING_MS, so a client with only an idle timeout prints "ok".
      const messages = makeMessages(random, ANSWERS.length).map((message, index) => (ANSWERS[index] === 'trickle' ? `${index + 1}-${random.word(10, 12)}` : message));
      const run = await startMany(context, 'failures', messages, ANSWERS);
      session.run = run;
      session.summaryAt = await untilSummary(run, context.ms(STOP_WAITING_MS));
      failIfNeverConnected(run, diagnoses['never-connects']);
      const printed = printedLines(run);
      const expected = expectedLines(messages);
      if (printed.join('\n') === expected.join('\n')) return;
      fail(`${FILE} printed other lines than each connection's result${run.client.exit || session.summaryAt ? '' : `, and had printed no summary ${STOP_WAITING_MS / 1000} s after it started`}`, {
        expected: showLines(expected),
        actual: showLines(printed),
        diagnosis: diagnose(run, printed),
      });
    },
  },
  {
    id: 'exits-one',
    title: 'exits with code 1 when any connection failed',
    hint: 'Set process.exitCode = 1 when any connection failed, 0 only when all succeeded.',
    async run(context, session) {
      const run = need(session.run, 'the client started by "reports-failures"');
      const exit = await exitAfterSummary(run, session.summaryAt, context.ms(1000));
      if (exit?.code === 1) return;
      const failed = ANSWERS.filter((answer) => !SUCCEEDS.has(answer)).length;
      fail(`${FILE} ${exit ? `exited with code ${exit.code}` : 'is still running'} although ${failed} of its ${ANSWERS.length} connections failed`, {
        expected: 'exit code 1',
        actual: exit ? `exit code ${exit.code}${exit.signal ? ` (${exit.signal})` : ''}` : 'still running',
        // Still running with every line printed: not the exit code, something holds the event loop.
        diagnosis: exit?.code === 0 ? diagnoses['exits-zero-despite-failure'] : exit ? undefined : diagnoses['stays-alive-after-printing'],
      });
    },
  },
]);
