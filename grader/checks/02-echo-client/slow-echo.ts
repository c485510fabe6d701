// Lesson 2's main scenario: one run of the client against an echo that comes slowly, in pieces
// of 1 to 3 bytes cut inside characters, with a pause longer than any fixed wait.
import { formatDuration, sleep } from '../../run/deadline.ts';
import { fail, type CheckContext } from '../check.ts';
import { need, scenario } from '../lesson.ts';
import { expectCleanExit, expectExit } from '../shared/exit.ts';
import { addsLineEnding, failNeverHalfClosed, FILE, settle, slowEchoPlan, startClient, type ClientRun } from './client-run.ts';

/** A client reacting to the last byte (or to "end") prints within milliseconds; this allows a loaded machine. */
const IDLE_PRINT_MS = 1500;
import { diagnosePrint } from './diagnose-print.ts';
import { diagnoses } from './diagnoses.ts';
import { nonAsciiMessage, showBytes, showText } from './message.ts';

/**
 * A client must react to the echo's last byte: print, or half-close so the server can close. One
 * that did neither for a while and then printed was told the echo was over by a timer.
 */
function expectPrintedOnEnd(context: CheckContext, run: ClientRun): void {
  const { output, played, peer } = run;
  if (output.at === undefined) return;
  const reactedAt = Math.min(output.at, peer.endAt ?? Infinity);
  const silentMs = reactedAt - played.progress.lastSentAt;
  if (silentMs <= context.ms(IDLE_PRINT_MS)) return;
  fail(`${FILE} printed the echo ${formatDuration(output.at - played.progress.lastSentAt)} after its last byte, and had not half-closed`, {
    expected: 'a half-close right after the message, then the echo printed once the server closes the connection ("end")',
    actual: `nothing for ${formatDuration(silentMs)} after the last byte of the echo, then the print${peer.gotEnd ? ' and only then a FIN' : ''}`,
    diagnosis: diagnoses['prints-on-idle-timer'],
  });
}

interface SlowEcho {
  /** Set by "sends-message": the client's run and the message it was given. */
  started?: { readonly run: ClientRun; readonly message: string };
}

export const slowEcho = scenario('a slow echo in pieces', (): SlowEcho => ({}), [
  {
    id: 'sends-message',
    title: 'connects to HOST:PORT and sends exactly the message',
    hint: 'Send the first command-line argument (process.argv[2]) as it is: no newline, no quotes.',
    async run(context, session) {
      const message = nonAsciiMessage(context.random('message'));
      const run = await startClient(context, message, slowEchoPlan(context, message));
      session.started = { run, message };
      const { peer, client } = run;
      const expected = Buffer.from(message);
      await peer.until(() => peer.receivedBytes > expected.length || peer.gotEnd || peer.closed || (peer.receivedBytes === expected.length && !client.running), context.ms(5000), `the ${expected.length}-byte message`).catch(() => {});
      await sleep(context.ms(50));
      const got = peer.data();
      if (!got.equals(expected)) {
        fail(`the server received ${showBytes(got)} instead of the message`, {
          expected: showText(message),
          actual: showBytes(got),
          diagnosis: got.length === 0 ? diagnoses['sends-nothing'] : addsLineEnding(got, expected) ? diagnoses['adds-newline'] : undefined,
        });
      }
    },
  },
  {
    id: 'prints-whole-echo',
    title: 'prints "Received: MESSAGE" with the whole echo, though it comes slowly, in pieces cut inside characters',
    hint: 'The echo arrives in many "data" events. Collect them all and print once, when the server closes the connection ("end").',
    async run(context, session) {
      const { run, message } = need(session.started, 'the client started by "sends-message"');
      const expected = `Received: ${message}\n`;
      await settle(context, run, expected);
      const printed = run.client.stdout.text;
      if (printed === expected) return expectPrintedOnEnd(context, run);
      failNeverHalfClosed(run, expected);
      fail(`${FILE} printed ${printed ? showText(printed) : 'nothing'}`, {
        expected: showText(expected),
        actual: printed ? showText(printed) : '(nothing on stdout)',
        diagnosis: diagnosePrint({ printed, message, answer: Buffer.from(message), progress: run.played.progress, output: run.output, reactionMs: context.ms(250) }),
      });
    },
  },
  {
    id: 'exits-zero',
    title: 'exits with code 0 after printing',
    hint: 'Nothing should keep the process alive once the connection is closed: no timers, no open sockets, no process.exit(1).',
    async run(context, session) {
      const { run } = need(session.started, 'the client started by "sends-message"');
      const exit = await expectExit(run.client, context.ms(3000), 'the server closed the connection');
      expectCleanExit(run.client, exit);
      await run.played.done;
    },
  },
]);
