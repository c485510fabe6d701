// Lesson 2: the echo client. The grader plays the server (02-echo-client/reply-server.ts): it
// answers in small pieces cut inside characters, once slowly enough to outlast a fixed wait,
// once with bytes that are not the message, and once for an empty message.
import type { TcpPeer } from '../net/tcp-peer.ts';
import { pollUntil, sleep } from '../run/deadline.ts';
import type { RunningProgram } from '../run/program.ts';
import { diagnosePrint } from './02-echo-client/diagnose-print.ts';
import { watchFirstOutput, type FirstOutput } from './02-echo-client/first-output.ts';
import { nonAsciiMessage, showBytes, showText, splitInside, swapAsciiCase } from './02-echo-client/message.ts';
import { expectRefusedReport } from './02-echo-client/refused.ts';
import { playServer, type PlayedServer, type ReplyPlan } from './02-echo-client/reply-server.ts';
import { fail, type CheckContext, type Diagnosis, type LessonChecks } from './check.ts';
import { diagnoses } from './02-echo-client/diagnoses.ts';
import { crashReport, expectCleanExit, expectExit } from './shared/exit.ts';
import { hostPort } from './shared/listening.ts';

const FILE = 'client.ts';
const DEFAULT_MESSAGE = 'Hello, world';
/** Longer than the fixed wait of a client that sleeps 1 s and prints what came. */
const LONG_PAUSE_MS = 2000;

/** One run of the client against the server the grader plays. */
interface ClientRun {
  readonly client: RunningProgram;
  readonly peer: TcpPeer;
  readonly played: PlayedServer;
  readonly output: FirstOutput;
}

/** The echo in pieces of 1 to 3 bytes, with a cut and a pause after the first piece, inside the "ö" and at message.length. */
function slowEchoPlan(context: CheckContext, message: string): ReplyPlan {
  const random = context.random('pauses');
  return {
    answer: (bytes) => bytes,
    pieceSize: () => random.int(1, 3),
    pauseMs: () => random.int(2, 12),
    stops: [
      // The first "data" event holds only the first piece.
      { at: random.int(1, 3), ms: context.ms(100) },
      // Inside a character, early, and long: a client that prints after a fixed wait prints a cut echo.
      { at: splitInside(message, 'ö'), ms: context.ms(LONG_PAUSE_MS) },
      // Where a client that counts UTF-16 units against bytes stops reading.
      { at: message.length, ms: context.ms(100) },
    ],
  };
}

function quickPlan(context: CheckContext, purpose: string, answer: (bytes: Buffer) => Buffer): ReplyPlan {
  const random = context.random(purpose);
  return { answer, pieceSize: () => random.int(1, 4), pauseMs: () => random.int(2, 12), stops: [] };
}

/** `exited`: what a client that exits without connecting got wrong in this run, when that is known. */
async function startClient(context: CheckContext, message: string, plan: ReplyPlan, exited?: Diagnosis): Promise<ClientRun> {
  const played = await playServer(context, plan);
  const where = hostPort(context.host, played.port);
  const client = context.start(FILE, { port: played.port, args: [message] });
  const output = watchFirstOutput(context, client);
  // Stop waiting as soon as the client exits: it will not connect any more.
  const peer = await Promise.race([played.server.accepted(1, context.ms(8000)), client.exited.then(() => played.server.accepted(1, 0))]);
  if (!peer) {
    const exit = client.exit;
    fail(`${FILE} never connected to ${where}${exit ? ` (it exited with code ${exit.code})` : ''}`, {
      expected: `a connection to ${where}`,
      actual: exit ? `exited; stderr: ${showText(client.stderr.text.trim() || '(empty)')}` : 'no connection',
      diagnosis: exit && exited ? exited : diagnoses['never-connects'],
    });
  }
  return { client, peer, played, output };
}

/** Until the client exits, has printed `expected` after the server closed, or has everything answered but still no FIN after 3 s. */
async function settle(context: CheckContext, run: ClientRun, expected: string): Promise<void> {
  const { client, peer, played } = run;
  const progress = played.progress;
  const stuck = () => !peer.gotEnd && !progress.pausing && progress.answered >= peer.receivedBytes && Date.now() - progress.lastSentAt > context.ms(3000);
  const settled = () => !client.running || (client.stdout.text === expected && peer.closed) || stuck() || undefined;
  await pollUntil(settled, context.ms(15_000), `${FILE} to print the answer`).catch(() => {});
}

/** The message, then only a line ending. */
function addsLineEnding(got: Buffer, message: Buffer): boolean {
  const rest = got.subarray(message.length).toString('latin1');
  return got.subarray(0, message.length).equals(message) && /^\r?\n$/.test(rest);
}

function failNeverHalfClosed(run: ClientRun, expected: string): void {
  if (!run.client.running || run.peer.gotEnd) return;
  const printed = run.client.stdout.text;
  fail(`${FILE} is still waiting and never sent its FIN`, {
    expected: showText(expected),
    actual: printed ? showText(printed) : '(nothing printed yet)',
    diagnosis: diagnoses['never-half-closes'],
  });
}

export const echoClientChecks: LessonChecks = () => {
  let run: ClientRun;
  let message: string;

  return [
    {
      id: 'sends-message',
      title: 'connects to HOST:PORT and sends exactly the message',
      hint: 'Send the first command-line argument (process.argv[2]) as it is: no newline, no quotes.',
      async run(context) {
        message = nonAsciiMessage(context.random('message'));
        run = await startClient(context, message, slowEchoPlan(context, message));
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
      async run(context) {
        const expected = `Received: ${message}\n`;
        await settle(context, run, expected);
        const printed = run.client.stdout.text;
        if (printed === expected) return;
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
      async run(context) {
        const exit = await expectExit(run.client, context.ms(3000), 'the server closed the connection');
        expectCleanExit(run.client, exit);
        await run.played.done;
      },
    },
    {
      id: 'prints-what-came-back',
      title: 'prints what the server sent back, even when it is not the message',
      hint: 'Print the bytes that came back, decoded once on "end": `Received: ${Buffer.concat(chunks).toString("utf8")}`, not the message you sent.',
      async run(context) {
        const other = nonAsciiMessage(context.random('other-message'));
        const answer = swapAsciiCase(Buffer.from(other));
        const otherRun = await startClient(context, other, quickPlan(context, 'other-pauses', swapAsciiCase));
        const expected = `Received: ${answer.toString('utf8')}\n`;
        await settle(context, otherRun, expected);
        const printed = otherRun.client.stdout.text;
        if (printed === expected) return;
        failNeverHalfClosed(otherRun, expected);
        fail(`this server answered ${showText(answer.toString('utf8'))}, and ${FILE} printed ${printed ? showText(printed) : 'nothing'}`, {
          expected: showText(expected),
          actual: printed ? showText(printed) : '(nothing on stdout)',
          diagnosis:
            printed === `Received: ${other}\n`
              ? diagnoses['prints-own-message']
              : diagnosePrint({ printed, message: other, answer, progress: otherRun.played.progress, output: otherRun.output, reactionMs: context.ms(250) }),
        });
      },
    },
    {
      id: 'sends-empty-message',
      title: 'an explicit empty message "" is sent as no bytes and a FIN, and "Received: " is printed',
      hint: 'An explicit "" is an empty message, not a missing one: process.argv[2] ?? "Hello, world" keeps it, and socket.end(message) then sends no bytes, only FIN.',
      async run(context) {
        const empty = await startClient(
          context,
          '',
          quickPlan(context, 'empty-pauses', (bytes) => bytes),
          diagnoses['empty-not-sent'],
        );
        const expected = 'Received: \n';
        await settle(context, empty, expected);
        const got = empty.peer.data();
        if (got.length > 0) {
          fail(`${FILE} was given an empty message ("") and sent ${showBytes(got)}`, {
            expected: 'no bytes, then FIN',
            actual: showBytes(got),
            diagnosis: got.equals(Buffer.from(DEFAULT_MESSAGE)) ? diagnoses['empty-becomes-default'] : undefined,
          });
        }
        if (!empty.peer.gotEnd) {
          fail(`${FILE} sent nothing for the empty message, but never half-closed`, {
            expected: 'FIN at once: there is nothing to send',
            actual: `no FIN${empty.client.running ? ', still running' : ''}`,
            diagnosis: diagnoses['empty-never-half-closes'],
          });
        }
        const printed = empty.client.stdout.text;
        if (printed !== expected) {
          fail(`${FILE} printed ${printed ? showText(printed) : 'nothing'} after the empty echo`, {
            expected: showText(expected),
            actual: printed ? showText(printed) : '(nothing on stdout)',
            diagnosis: printed === '' ? diagnoses['empty-echo-not-printed'] : undefined,
          });
        }
        const exit = await expectExit(empty.client, context.ms(3000), 'the server closed the connection');
        expectCleanExit(empty.client, exit);
      },
    },
    {
      id: 'reports-refused',
      title: 'with nothing listening, prints one line naming ECONNREFUSED and HOST:PORT and exits non-zero',
      hint: 'Handle the socket\'s "error" event: console.error(`cannot connect to ${HOST}:${PORT}: ${err.code}`) and process.exitCode = 1. No stack trace.',
      async run(context) {
        const port = await context.freePort();
        const refused = context.start(FILE, { port, args: ['nobody listens'] });
        const exit = await expectExit(refused, context.ms(8000), 'its connection was refused');
        const stderr = refused.stderr.text.trim();
        const crash = crashReport(refused.stderr.text);
        const lines = stderr.split('\n').filter((line) => line.trim());
        if (exit.code === 0) {
          fail(`${FILE} exited with code 0 although it could not connect`, {
            expected: 'a non-zero exit code',
            actual: 'exit code 0',
            diagnosis: diagnoses['error-exits-zero'],
          });
        }
        if (crash) {
          // Node's own report of an uncaught error names the event; a program that prints the Error itself does not.
          const uncaught = /Unhandled 'error' event|^\s*throw /m.test(stderr);
          fail(`${FILE} ${uncaught ? 'crashed with an uncaught error instead of reporting it' : 'printed a stack trace instead of one line'}: ${crash.trim()}`, {
            expected: 'one line such as "cannot connect to 127.0.0.1:4000: ECONNREFUSED"',
            actual: `${lines.length} lines of stack trace`,
            diagnosis: uncaught ? diagnoses['no-error-listener'] : diagnoses['prints-stack'],
          });
        }
        expectRefusedReport(refused, context.host, port);
      },
    },
  ];
};
