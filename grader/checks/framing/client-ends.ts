// Lesson 3's client checks about how a conversation ends: with nothing on stdin, with every
// reply in before stdin ends, and cut short by the server. Each runs its own client.
import { PassThrough } from 'node:stream';
import { describeExit } from '../../run/program.ts';
import { pollUntil } from '../../run/deadline.ts';
import { escapeText } from '../../net/escape.ts';
import { fail, type Check, type CheckContext } from '../check.ts';
import { crashReport, exitWithin, expectCleanExit, outputLines } from '../shared/exit.ts';
import type { ExitInfo, RunningProgram } from '../../run/program.ts';
import { connectedClient, launchClientAgainstFrameServer, startClientAgainstFrameServer, type ClientRun } from './connections.ts';
import type { FrameScript } from './frame-server.ts';
import { encodeFrame, reversed } from './frames.ts';

const CLIENT = 'client.ts';

/** Fails when the client is still running `ms` after `after`, naming the open connection. */
async function expectEnded(context: CheckContext, run: ClientRun, after: string, stillOpenHint: string): Promise<void> {
  const { client, connection } = run;
  const exit = await exitWithin(client, context.ms(5000));
  if (!exit && !connection.peer.gotEnd && !connection.peer.closed) {
    fail(`${CLIENT} never closed the connection after ${after}, so it is still running`, {
      expected: 'socket.end(), then exit code 0',
      actual: 'the connection is still open',
      hint: stillOpenHint,
    });
  }
  if (!exit) {
    fail(`${CLIENT} was still running ${context.ms(5000) / 1000} s after ${after}, though its connection is closed`, {
      expected: 'exits by itself once the connection is closed',
      actual: 'still running',
      hint: 'Something else keeps the process alive: a timer, or stdin still being read. Let the program end once the socket has closed.',
    });
  }
  expectCleanExit(client, exit);
}

const emptyInput: Check = {
  id: 'client-empty-input',
  title: 'client: with nothing on stdin, sends no frame, closes the connection and exits with code 0',
  hint: 'Empty stdin means no lines: send nothing, and end the connection as soon as stdin ends.',
  async run(context) {
    const run = await startClientAgainstFrameServer(context, CLIENT, [], { profile: 'mixed', purpose: 'client empty input' });
    await expectEnded(
      context,
      run,
      'an empty stdin',
      'With no lines there is no reply to wait for, so a client that ends the connection only from its reply handler waits forever. When stdin ends, check too: if every line sent has its reply, call socket.end() there.',
    );
    if (run.connection.framesRead > 0) {
      fail(`${CLIENT} sent ${run.connection.framesRead} frame${run.connection.framesRead === 1 ? '' : 's'} though stdin held no line`, {
        expected: 'no frame',
        actual: `${run.connection.framesRead} frames`,
        hint: 'An empty stdin has no lines, not one empty line: send a frame only for each line readline gives you.',
      });
    }
  },
};

const endsAfterStdin: Check = {
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
    await pollUntil(() => (printedAll() || !client.running ? true : undefined), context.ms(5000), `${CLIENT} to print ${expected.length} replies while stdin is open`).catch(() => undefined);
    const answeredBeforeEnd = printedAll();
    stdin.end();
    const run = await connectedClient(context, CLIENT, launched);
    if (!answeredBeforeEnd) {
      await pollUntil(() => (printedAll() || !client.running ? true : undefined), context.ms(5000), `${CLIENT} to print ${expected.length} replies`).catch(() => undefined);
      if (!printedAll()) {
        const printed = outputLines(client.stdout.text);
        fail(`${CLIENT} did not print the ${expected.length} replies`, {
          expected: expected.map((line) => escapeText(line, 24)).join(', '),
          actual: printed.length ? printed.map((line) => escapeText(line, 24)).join(', ') : `nothing${client.running ? '' : ` (it ${describeExit(client.exit!)})`}`,
          hint: 'Print each reply as one line as it arrives.',
        });
      }
    }
    const stillOpenHint = answeredBeforeEnd
      ? 'Every reply had arrived before stdin ended, and then nothing ended the connection: the client checks "all replies in?" only when a reply arrives. Check when stdin ends too, and call socket.end() if every line already has its reply.'
      : 'Once stdin has ended and every reply is printed, call socket.end().';
    await expectEnded(context, run, answeredBeforeEnd ? 'every reply arrived and then stdin ended' : 'stdin ended and every reply arrived', stillOpenHint);
  },
};

interface Truncation {
  readonly what: string;
  readonly script: (lines: readonly string[]) => FrameScript;
}

const truncations: readonly Truncation[] = [
  {
    what: 'answered 2 of 3 lines and then ended the connection',
    script: (lines) => ({ reply: (payload, i) => (i < lines.length - 1 ? encodeFrame(reversed(payload)) : Buffer.alloc(0)), endAfter: lines.length - 1 }),
  },
  {
    what: 'sent a header promising more bytes than followed, then ended the connection',
    script: (lines) => ({
      reply: (payload, i) => (i < lines.length - 1 ? encodeFrame(reversed(payload)) : encodeFrame(reversed(payload)).subarray(0, 4 + Math.floor(payload.length / 2))),
      endAfter: lines.length - 1,
    }),
  },
];

interface TruncatedRun {
  readonly truncation: Truncation;
  readonly client: RunningProgram;
  readonly exit: ExitInfo | undefined;
}

/** Runs the client against a server that cuts the conversation short, and waits for its exit. */
async function runTruncated(context: CheckContext, truncation: Truncation, index: number): Promise<TruncatedRun> {
  const random = context.random(`client truncated ${index}`);
  const lines = Array.from({ length: 3 }, () => random.word(6, 20));
  const run = await startClientAgainstFrameServer(context, CLIENT, lines, { profile: 'mixed', purpose: `client truncated ${index}`, script: truncation.script(lines) });
  return { truncation, client: run.client, exit: await exitWithin(run.client, context.ms(5000)) };
}

/** Fails when the client did not report the truncated conversation. */
function judgeTruncated(context: CheckContext, { truncation, client, exit }: TruncatedRun): void {
  const stderr = client.stderr.text.trim();
  const crash = crashReport(client.stderr.text);
  const expected = 'an error line on stderr, then a non-zero exit code';
  if (!exit) {
    fail(`${CLIENT} was still running ${context.ms(5000) / 1000} s after the server ${truncation.what}`, {
      expected,
      actual: 'still running',
      hint: 'Once the server has ended the connection ("end" or "close"), no reply can come: report what is missing and exit.',
    });
  }
  if (exit.code === 0 || stderr === '') {
    fail(`${CLIENT} ${describeExit(exit)}${stderr ? '' : ', printing nothing on stderr,'} after the server ${truncation.what}`, {
      expected,
      actual: `${describeExit(exit)}; stderr: ${escapeText(stderr || '(empty)', 60)}`,
      hint: 'The conversation was cut short. When the connection ends ("end") with fewer replies than lines sent, or with bytes of an unfinished frame still buffered, print an error line on stderr (console.error) and set process.exitCode = 1.',
    });
  }
  if (crash) {
    fail(`${CLIENT} crashed after the server ${truncation.what}: ${crash.trim()}`, {
      expected,
      actual: `an uncaught error: ${escapeText(crash.trim(), 60)}`,
      hint: 'Report a truncated conversation with console.error and process.exitCode = 1, not by throwing: a stack trace is not an error message.',
    });
  }
}

const reportsTruncation: Check = {
  id: 'client-reports-truncation',
  title: 'client: exits non-zero with an error line when the server ends before every reply, or inside a frame',
  hint: 'On "end", compare: replies printed against lines sent, and bytes still buffered in the decoder. Any shortfall is an error: print it on stderr and exit non-zero.',
  async run(context) {
    // Both run at once; they are judged in order, so the verdict does not depend on which ends first.
    const runs = await Promise.all(truncations.map((truncation, index) => runTruncated(context, truncation, index)));
    for (const run of runs) judgeTruncated(context, run);
  },
};

/** The checks that run after the main client run's. */
export const clientEndingChecks: readonly Check[] = [emptyInput, endsAfterStdin];
export const clientTruncationCheck: Check = reportsTruncation;
