// Lesson 3's client scenarios about how a conversation ends: with nothing on stdin, and with
// every reply in before stdin ends. Each is its own run of client.ts.
import { PassThrough } from 'node:stream';
import { escapeText } from '../../net/escape.ts';
import { pollUntil } from '../../run/deadline.ts';
import { describeExit } from '../../run/program.ts';
import { fail, type CheckContext, type Diagnosis } from '../check.ts';
import { scenario } from '../lesson.ts';
import { exitWithin, expectCleanExit, outputLines } from '../shared/exit.ts';
import { CLIENT, printedWrongLine } from './client-output.ts';
import { connectedClient, launchClientAgainstFrameServer, startClientAgainstFrameServer, type ClientRun } from './connections.ts';
import { diagnoses } from './diagnoses.ts';
import { reversed } from './frames.ts';

/** Fails when the client is still running 5 s after `after`, naming the open connection as `stillOpen`. */
async function expectEnded(context: CheckContext, run: ClientRun, after: string, stillOpen: Diagnosis): Promise<void> {
  const { client, connection } = run;
  const exit = await exitWithin(client, context.ms(5000));
  if (!exit && !connection.peer.gotEnd && !connection.peer.closed) {
    fail(`${CLIENT} never closed the connection after ${after}, so it is still running`, {
      expected: 'socket.end(), then exit code 0',
      actual: 'the connection is still open',
      diagnosis: stillOpen,
    });
  }
  if (!exit) {
    fail(`${CLIENT} was still running ${context.ms(5000) / 1000} s after ${after}, though its connection is closed`, {
      expected: 'exits by itself once the connection is closed',
      actual: 'still running',
    });
  }
  expectCleanExit(client, exit);
}

export const emptyInput = scenario('a run of client.ts with nothing on stdin', () => ({}), [
  {
    id: 'client-empty-input',
    title: 'client: with nothing on stdin, sends no frame, closes the connection and exits with code 0',
    hint: 'Empty stdin means no lines: send nothing, and end the connection as soon as stdin ends.',
    async run(context) {
      const run = await startClientAgainstFrameServer(context, CLIENT, [], { profile: 'mixed', purpose: 'client empty input' });
      await expectEnded(context, run, 'an empty stdin', diagnoses['ends-only-on-reply']);
      if (run.connection.framesRead > 0) {
        fail(`${CLIENT} sent ${run.connection.framesRead} frame${run.connection.framesRead === 1 ? '' : 's'} though stdin held no line`, {
          expected: 'no frame',
          actual: `${run.connection.framesRead} frames`,
          diagnosis: diagnoses['frame-for-empty-stdin'],
        });
      }
    },
  },
]);

/** Why the connection is still open: every reply was in before stdin ended, or not. */
function stillOpenAfterStdin(answeredBeforeEnd: boolean): Diagnosis {
  return answeredBeforeEnd ? diagnoses['checks-end-only-on-reply'] : diagnoses['client-never-ends'];
}

export const endsAfterStdin = scenario('a run of client.ts whose stdin stays open until every reply is in', () => ({}), [
  {
    id: 'client-ends-after-stdin',
    title: 'client: when every reply arrived before stdin ended, closes the connection once stdin ends',
    hint: 'Decide to end in two places: after a reply (if stdin has ended and every line has its reply) and when stdin ends (if every line already has its reply).',
    async run(context) {
      const random = context.random('client stdin open');
      const lines = Array.from({ length: 3 }, () => random.word(3, 20));
      const expected = lines.map((line) => reversed(Buffer.from(line)).toString('utf8'));
      const stdin = new PassThrough();
      context.onCleanup(() => stdin.destroy());
      const launched = await launchClientAgainstFrameServer(context, CLIENT, stdin, { profile: 'mixed', purpose: 'client stdin open' });
      const { client } = launched;
      stdin.write(lines.map((line) => `${line}\n`).join(''));
      // A client may read all of stdin before it talks: then no reply can come before stdin ends,
      // and this check only asks that it finishes once stdin does.
      const printedAll = () => outputLines(client.stdout.text).join('\n') === expected.join('\n');
      const settled = () => printedAll() || !client.running || printedWrongLine(client.stdout.text, expected);
      await pollUntil(() => (settled() ? true : undefined), context.ms(5000), `${CLIENT} to print ${expected.length} replies while stdin is open`).catch(() => undefined);
      const answeredBeforeEnd = printedAll();
      stdin.end();
      const run = await connectedClient(context, CLIENT, launched);
      if (!answeredBeforeEnd) {
        await pollUntil(() => (settled() ? true : undefined), context.ms(5000), `${CLIENT} to print ${expected.length} replies`).catch(() => undefined);
        if (!printedAll()) {
          const printed = outputLines(client.stdout.text);
          fail(`${CLIENT} did not print the ${expected.length} replies`, {
            expected: expected.map((line) => escapeText(line, 24)).join(', '),
            actual: printed.length ? printed.map((line) => escapeText(line, 24)).join(', ') : `nothing${client.running ? '' : ` (it ${describeExit(client.exit!)})`}`,
          });
        }
      }
      const after = answeredBeforeEnd ? 'every reply arrived and then stdin ended' : 'stdin ended and every reply arrived';
      await expectEnded(context, run, after, stillOpenAfterStdin(answeredBeforeEnd));
    },
  },
]);
