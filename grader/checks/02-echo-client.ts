// Lesson 2: the echo client. The grader plays the echo server and answers one byte at a
// time with small delays, so a client that prints its first read fails.
import { escapeText } from '../net/escape.ts';
import { GraderServer } from '../net/tcp-server.ts';
import type { TcpPeer } from '../net/tcp-peer.ts';
import { pollUntil, sleep } from '../run/deadline.ts';
import type { RunningProgram } from '../run/program.ts';
import { fail, type CheckContext, type LessonChecks } from './check.ts';
import { crashReport, expectCleanExit, expectExit } from './shared/exit.ts';
import { hostPort } from './shared/listening.ts';

const FILE = 'client.ts';

/** How far the slow echo got, so a check can tell "still echoing" from "waiting on the client". */
interface EchoProgress {
  echoed: number;
  lastSentAt: number;
}

/** Echoes each byte as its own write, with a pause, and closes once the client has ended and all is echoed. */
async function echoSlowly(peer: TcpPeer, pauseMs: () => number, progress: EchoProgress): Promise<void> {
  let echoed = 0;
  for (;;) {
    await peer.until(() => peer.receivedBytes > echoed || peer.gotEnd || peer.closed, 60_000, 'more bytes from the client');
    const data = peer.data();
    while (echoed < data.length && !peer.socket.destroyed) {
      await peer.send(data.subarray(echoed, echoed + 1));
      echoed++;
      progress.echoed = echoed;
      progress.lastSentAt = Date.now();
      await sleep(pauseMs());
    }
    if (peer.closed || peer.socket.destroyed) return;
    if (peer.gotEnd && echoed >= peer.receivedBytes) {
      peer.end();
      return;
    }
  }
}

export const echoClientChecks: LessonChecks = () => {
  let client: RunningProgram;
  let peer: TcpPeer | undefined;
  let message: string;
  let echoDone: Promise<void>;
  const progress: EchoProgress = { echoed: 0, lastSentAt: 0 };

  async function startClientAgainstSlowEcho(context: CheckContext): Promise<void> {
    const random = context.random('message');
    message = `Hello, ${random.word(4, 10)} ${random.word(2, 8)}`;
    const port = await context.freePort();
    let resolveEcho!: () => void;
    echoDone = new Promise((resolve) => (resolveEcho = resolve));
    const pauses = context.random('pauses');
    const server = await GraderServer.listen(context.host, port, context.transcript, (accepted) => {
      void echoSlowly(accepted, () => pauses.int(2, 12), progress).catch(() => {}).finally(resolveEcho);
    });
    context.onCleanup(() => server.close());
    client = context.start(FILE, { port, args: [message] });
    // Stop waiting as soon as the client exits: it will not connect any more.
    peer = await Promise.race([server.accepted(1, context.ms(8000)), client.exited.then(() => server.accepted(1, 0))]);
    if (!peer) {
      const exit = client.exit;
      fail(`${FILE} never connected to ${hostPort(context.host, port)}${exit ? ` (it exited with code ${exit.code})` : ''}`, {
        expected: `a connection to ${hostPort(context.host, port)}`,
        actual: exit ? `exited; stderr: ${escapeText(client.stderr.text.trim() || '(empty)')}` : 'no connection',
        hint: 'Connect to the PORT and HOST from the environment: net.connect(Number(process.env.PORT ?? 65432), process.env.HOST ?? "127.0.0.1").',
      });
    }
  }

  return [
    {
      id: 'sends-message',
      title: 'connects to HOST:PORT and sends exactly the message',
      hint: 'Send the first command-line argument (process.argv[2]) as it is: no newline, no quotes.',
      async run(context) {
        await startClientAgainstSlowEcho(context);
        const expected = Buffer.from(message);
        await peer!.until(() => peer!.receivedBytes > expected.length || peer!.gotEnd || peer!.closed || (peer!.receivedBytes === expected.length && !client.running), context.ms(5000), `the ${expected.length}-byte message`).catch(() => {});
        await sleep(context.ms(50));
        const got = peer!.data();
        if (!got.equals(expected)) {
          fail(`the server received ${escapeText(got.toString('latin1'))} instead of the message`, {
            expected: escapeText(message),
            actual: escapeText(got.toString('latin1')),
            hint: got.length === 0 ? 'Nothing arrived: write the message once connected, e.g. socket.end(message).' : undefined,
          });
        }
      },
    },
    {
      id: 'prints-whole-echo',
      title: 'prints "Received: MESSAGE" with the whole echo, though it arrives 1 byte at a time',
      hint: 'The echo arrives in many "data" events. Collect them all and print once, when the server closes the connection ("end").',
      async run(context) {
        const expected = `Received: ${message}\n`;
        // Done when the client exits, or has printed the whole echo after the server closed.
        const messageBytes = Buffer.byteLength(message);
        // A client that got the whole echo but still has not sent FIN after 3 s waits for a close that never comes.
        const stuck = () => !peer!.gotEnd && progress.echoed >= messageBytes && Date.now() - progress.lastSentAt > context.ms(3000);
        const settled = () => !client.running || (client.stdout.text === expected && peer!.closed) || stuck() || undefined;
        await pollUntil(settled, context.ms(15_000), `${FILE} to print the echo`).catch(() => {});
        const printed = client.stdout.text;
        if (printed === expected) return;
        if (client.running && !peer!.gotEnd) {
          fail(`${FILE} is still waiting and never sent its FIN`, {
            expected: escapeText(expected),
            actual: printed ? escapeText(printed) : '(nothing printed yet)',
            hint: 'The echo server only closes after the client has finished sending. Use socket.end(message) (or call end() after write) so it knows you are done, then print on "end".',
          });
        }
        const firstPiece = printed.startsWith('Received: ') && printed.length < expected.length;
        fail(`${FILE} printed ${escapeText(printed)}`, {
          expected: escapeText(expected),
          actual: printed ? escapeText(printed) : '(nothing on stdout)',
          hint: firstPiece
            ? 'You printed after the first "data" event, which held only part of the echo. Append each chunk and print on "end".'
            : printed.split('\n').length > 2
              ? 'Print once, with the whole message, not once per chunk.'
              : undefined,
        });
      },
    },
    {
      id: 'exits-zero',
      title: 'exits with code 0 after printing',
      hint: 'Nothing should keep the process alive once the connection is closed: no timers, no open sockets, no process.exit(1).',
      async run(context) {
        const exit = await expectExit(client, context.ms(3000), 'the server closed the connection');
        expectCleanExit(client, exit);
        await echoDone;
      },
    },
    {
      id: 'reports-refused',
      title: 'with nothing listening, prints one line naming ECONNREFUSED and exits non-zero',
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
            hint: 'Printing the error is not enough: a script running your client sees success. Set process.exitCode = 1 in the "error" handler.',
          });
        }
        if (crash) {
          // Node's own report of an uncaught error names the event; a program that prints the Error itself does not.
          const uncaught = /Unhandled 'error' event|^\s*throw /m.test(stderr);
          fail(`${FILE} ${uncaught ? 'crashed with an uncaught error instead of reporting it' : 'printed a stack trace instead of one line'}: ${crash.trim()}`, {
            expected: 'one line such as "cannot connect to 127.0.0.1:4000: ECONNREFUSED"',
            actual: `${lines.length} lines of stack trace`,
            hint: uncaught
              ? 'Without an "error" listener, Node throws the error: the stack trace and exit code 1 come from Node. Add socket.on("error", …) and print err.code in one line.'
              : 'console.error(err) prints the whole Error with its stack. Print one line built from err.code and HOST:PORT: console.error(`cannot connect to ${HOST}:${PORT}: ${err.code}`).',
          });
        }
        if (lines.length !== 1 || !/ECONNREFUSED|refused/i.test(stderr)) {
          fail(`${FILE} did not print one line naming the refused connection on stderr`, {
            expected: `one line on stderr mentioning ECONNREFUSED and ${hostPort(context.host, port)}`,
            actual: stderr ? escapeText(stderr) : '(nothing on stderr)',
          });
        }
      },
    },
  ];
};
