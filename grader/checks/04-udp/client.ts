// Lesson 4, the UDP client: the grader plays the echo server, first faithful (the client run
// without an argument), then losing each message's first datagram and answering it with a
// late duplicate, then not answering at all (the retry timer is measured), and last behind a
// seeded lossy link (loss, duplicates, reordering). Printed lines must be echoes that arrived.
import { escapeBytes } from '../../net/escape.ts';
import { describeFate, LOSSY, UdpProxy } from '../../net/udp-proxy.ts';
import { udpAddress, UdpPeer } from '../../net/udp-peer.ts';
import { formatDuration } from '../../run/deadline.ts';
import { describeExit, type RunningProgram } from '../../run/program.ts';
import { fail, type CheckContext, type LessonChecks } from '../check.ts';
import { crashReport, expectCleanExit, outputLines } from '../shared/exit.ts';
import { hostPort } from '../shared/listening.ts';
import { expectPrintedWasDelivered, firstUnprinted, judgeOutput } from './client-output.ts';
import {
  enoughGaps,
  expectRetryWindow,
  GAPS_JUDGED,
  HINT_FASTER_WHEN_ANSWERED,
  MAX_RETRY_MS,
  MIN_RETRY_MS,
  SHORT_GAP_MS,
  SHORT_GAPS_ALLOWED,
  shortGaps,
} from './client-pacing.ts';
import { sendCounts, watchClient, type ClientSend, type Ending, type WatchedRun } from './client-watch.ts';

const FILE = 'client.ts';
/** The contract: at most 20 tries per message, a retransmission at the latest 1 s after the last try. */
const MAX_TRIES = 20;
/** The count a client sends when run without an argument. */
const DEFAULT_COUNT = 5;
const LOSSY_COUNT = 30;
/** Total datagrams allowed behind the lossy link: about 1.8 tries per message are needed on average. */
const MAX_SENDS_PER_MESSAGE = 6;

const show = (text: string) => escapeBytes(Buffer.from(text, 'latin1'));

const RETRANSMIT_HINT =
  'UDP never resends anything for you. When you send a message, start a timer (setTimeout, 100 ms to 1 s); if its echo has not arrived when the timer fires, send the message again and restart the timer. Clear the timer when the echo arrives.';

interface Timing {
  readonly firstSendMs: number;
  readonly stallMs: number;
  readonly deadlineMs: number;
}

function timing(context: CheckContext, deadlineMs: number): Timing {
  return {
    // tsx compiles the program first: on a loaded machine that alone can take seconds.
    firstSendMs: context.ms(10_000),
    // A client that still waits for an echo sends at least once a second; 5 s more is the margin.
    stallMs: context.ms(MAX_RETRY_MS + 5000),
    deadlineMs: context.ms(deadlineMs),
  };
}

/** A grader socket on HOST:port playing the server, registered for cleanup. */
async function graderServer(context: CheckContext, name: string, options: { quiet?: boolean } = {}): Promise<UdpPeer> {
  const port = await context.freePort('udp');
  const peer = await UdpPeer.open(context.host, name, context.transcript, { port, log: !options.quiet });
  context.onCleanup(() => peer.close());
  return peer;
}

function watchPeer(peer: UdpPeer, program: RunningProgram, time: Timing, rule?: (sends: readonly ClientSend[]) => string | undefined): WatchedRun {
  return watchClient({
    program,
    ...time,
    rule,
    onSend: (listener) => peer.onDatagram((datagram) => listener({ text: datagram.data.toString('latin1'), at: datagram.at })),
  });
}

/** Fails for an ending other than an exit, naming what the client was doing. */
function failUnlessExited(context: CheckContext, run: WatchedRun, ending: Ending, program: RunningProgram, n: number, where: string, lost = ''): void {
  switch (ending.kind) {
    case 'exited': {
      const crash = crashReport(program.stderr.text);
      if (crash) {
        fail(`${FILE} ${describeExit(ending.exit)} after an uncaught error: ${crash.trim()}`, {
          expected: 'no uncaught error',
          actual: `a stack trace on stderr, ${describeExit(ending.exit)}`,
          hint: 'Read the first line of the stack trace. Give the socket an "error" listener, and never let a datagram you did not expect throw.',
        });
      }
      if (run.sends.length === 0) {
        fail(`${FILE} ${describeExit(ending.exit)} without sending anything to ${where}`, {
          expected: `"msg 1" as a datagram to ${where}`,
          actual: 'no datagram',
          hint: 'Send the first message as soon as the program starts, and keep the socket open until the last echo has arrived.',
        });
      }
      return;
    }
    case 'broke-rule':
      fail(ending.complaint, {
        hint: 'Send each try from a timer of 100 ms to 1 s that you restart after every try, never from a loop or setInterval(…, 1): a loop that sends without waiting floods the network and never lets an answer in.',
      });
    case 'never-sent':
      fail(`${FILE} sent nothing to ${where} in ${formatDuration(ending.waitedMs)}`, {
        expected: `"msg 1" as a datagram to ${where}`,
        actual: 'no datagram',
        hint: 'Send to the PORT and HOST from the environment: socket.send(`msg ${seq}`, PORT, HOST), with const PORT = Number(process.env.PORT ?? 65432).',
      });
    case 'stalled':
    case 'deadline': {
      const waiting = firstUnprinted(program.stdout.text, n);
      const last = run.sends.at(-1)?.text ?? '';
      const tries = run.sends.filter((send) => send.text === last).length;
      const lasted = ending.kind === 'stalled' ? `sent nothing more for ${formatDuration(ending.silentMs)}` : `was still running after ${formatDuration(ending.waitedMs)}`;
      if (!waiting) {
        fail(`${FILE} printed every echo but ${lasted} without exiting`, {
          expected: 'exit with code 0 after the last echo',
          actual: 'still running',
          hint: 'Close the socket after the last echo (socket.close()) and clear every timer: an open socket or a pending timer keeps the process alive.',
        });
      }
      if (ending.kind === 'deadline') {
        const printed = outputLines(program.stdout.text).filter((line) => line.trim()).length;
        fail(`${FILE} had not finished after ${formatDuration(ending.waitedMs)}: it printed ${printed} of ${n} lines and still waited for ${JSON.stringify(waiting)}`, {
          expected: `all ${n} echoes printed and exit code 0 within ${formatDuration(ending.waitedMs)}`,
          actual: `${run.sends.length} datagrams sent, still running`,
          hint: `Retransmit after 100 ms to 1 s, not longer: with a quarter of the datagrams lost each way, about 4 in 10 tries go unanswered, and each costs one timeout.`,
        });
      }
      fail(`${JSON.stringify(waiting)} was never answered: ${FILE} sent ${show(last)} ${tries === 1 ? 'once' : `${tries} times`}${lost}, then ${lasted}`, {
        expected: `${JSON.stringify(waiting)} sent again at most ${formatDuration(MAX_RETRY_MS)} after each unanswered try`,
        actual: `no datagram for ${formatDuration(ending.silentMs)}`,
        hint: RETRANSMIT_HINT,
      });
    }
  }
}

/** Fails unless the client sent only "msg 1" … "msg n", each as one datagram. */
function expectOnlyMessages(sends: readonly ClientSend[], n: number): void {
  const valid = new Set(Array.from({ length: n }, (_, i) => `msg ${i + 1}`));
  const strange = sends.find((send) => !valid.has(send.text));
  if (!strange) return;
  const trimmed = strange.text.trim();
  fail(`${FILE} sent the datagram ${show(strange.text)}`, {
    expected: `datagrams holding exactly "msg 1" … "msg ${n}"`,
    actual: show(strange.text),
    hint: valid.has(trimmed)
      ? 'Send the message text alone: no newline or spaces around it. Datagrams keep their boundaries, so no separator is needed.'
      : `Send the text \`msg \${seq}\` for seq = 1 … ${n} (the count is the first argument, ${DEFAULT_COUNT} without one), one datagram per try.`,
  });
}

/** Run without an argument, the client must send "msg 1" … "msg 5". */
function expectDefaultCount(sends: readonly ClientSend[], ending: Ending, program: RunningProgram): void {
  if (ending.kind !== 'exited' || crashReport(program.stderr.text)) return;
  const highest = Math.max(0, ...sends.map((send) => Number(/^msg (\d+)$/.exec(send.text)?.[1] ?? 0)));
  if (highest >= DEFAULT_COUNT) return;
  const did = highest === 0 ? 'sent nothing' : `sent only "msg 1" … "msg ${highest}"`;
  const stderr = program.stderr.text.trim();
  fail(`run without an argument, ${FILE} ${did} and ${describeExit(ending.exit)}`, {
    expected: `"msg 1" … "msg ${DEFAULT_COUNT}": without an argument the count is ${DEFAULT_COUNT}`,
    actual: `${did}; stderr: ${stderr ? escapeBytes(Buffer.from(stderr), 120) : '(nothing)'}`,
    hint: `The count argument is optional: without one, send ${DEFAULT_COUNT} messages, e.g. Number(process.argv[2] ?? ${DEFAULT_COUNT}). Without an argument process.argv[2] is undefined, and Number(undefined) is NaN.`,
  });
}

/** On a wrong output, `explain(message)` may add the story of that message to the transcript first. */
function expectPrinted(program: RunningProgram, n: number, explain?: (message: string) => void): void {
  const problem = judgeOutput(program.stdout.text, n, FILE);
  if (!problem) return;
  if (problem.about) explain?.(problem.about);
  fail(problem.summary, problem);
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

export const udpClientChecks: LessonChecks = () => {
  let lossy: { program: RunningProgram; run: WatchedRun; ending: Ending; proxy: UdpProxy; startedAt: number } | undefined;
  let silent: { program: RunningProgram; run: WatchedRun; where: string; n: number } | undefined;

  return [
    {
      id: 'client-basic',
      title: `run without an argument, with a faithful echo server: sends "msg 1" … "msg ${DEFAULT_COUNT}" to HOST:PORT, prints each echo and exits 0`,
      hint: 'Send `msg ${seq}` to PORT and HOST from the environment, print the echo\'s text with console.log(reply.toString()), and close the socket after the last one.',
      async run(context) {
        const n = DEFAULT_COUNT;
        const server = await graderServer(context, 'echo-server');
        server.onDatagram((datagram) => void server.send(datagram.data, datagram.port, datagram.address).catch(() => {}));
        // No argument: the default count is part of the contract, and only this run exercises it.
        const program = context.start(FILE, { port: server.port, args: [] });
        const run = watchPeer(server, program, timing(context, 20_000));
        const ending = await run.ending;
        expectDefaultCount(run.sends, ending, program);
        failUnlessExited(context, run, ending, program, n, hostPort(context.host, server.port));
        expectOnlyMessages(run.sends, n);
        expectPrinted(program, n);
        if (ending.kind === 'exited') expectCleanExit(program, ending.exit);
      },
    },
    {
      id: 'client-retransmits',
      title: 'sends a message again when its datagram is lost',
      hint: RETRANSMIT_HINT,
      async run(context) {
        const n = 3;
        const server = await graderServer(context, 'echo-server');
        const seen = new Set<string>();
        const delivered = new Set<string>();
        let lastEcho: Buffer | undefined;
        server.onDatagram((datagram) => {
          const text = datagram.data.toString('latin1');
          if (!seen.has(text)) {
            // Lost on the way, as datagrams are: only a retransmission gets an answer.
            seen.add(text);
            context.transcript.note('echo-server', `drops this first copy of ${show(text)}, as a lossy network would`);
            if (lastEcho) {
              // What a late duplicate looks like: an echo of an earlier message, arriving now.
              context.transcript.note('echo-server', `sends a late duplicate of the echo ${show(lastEcho.toString('latin1'))} instead`);
              void server.send(lastEcho, datagram.port, datagram.address).catch(() => {});
            }
            return;
          }
          delivered.add(text);
          lastEcho = datagram.data;
          void server.send(datagram.data, datagram.port, datagram.address).catch(() => {});
        });
        const program = context.start(FILE, { port: server.port, args: [String(n)] });
        const run = watchPeer(server, program, timing(context, 30_000));
        const ending = await run.ending;
        failUnlessExited(context, run, ending, program, n, hostPort(context.host, server.port), ' (the grader dropped that copy, as a lossy network may)');
        expectOnlyMessages(run.sends, n);
        if (ending.kind === 'exited' && ending.exit.code !== 0) {
          const tries = [...sendCounts(run.sends).entries()].map(([text, count]) => `${show(text)} ${count}×`).join(', ');
          fail(`${FILE} gave up (exit code ${ending.exit.code}) after sending ${tries}; only each first copy was lost`, {
            expected: 'each message sent again until answered, then exit code 0',
            actual: `exit code ${ending.exit.code}; stderr: ${escapeBytes(Buffer.from(program.stderr.text.trim()), 120)}`,
            hint: RETRANSMIT_HINT,
          });
        }
        expectPrinted(program, n);
        expectPrintedWasDelivered(program.stdout.text, delivered, FILE);
      },
    },
    {
      id: 'client-retry-window',
      title: `when nothing answers, sends each try ${formatDuration(MIN_RETRY_MS)} to ${formatDuration(MAX_RETRY_MS)} after the previous one (the mean over ${GAPS_JUDGED} retransmissions)`,
      hint: 'Retransmit from a timer of 100 ms to 1 s that you restart after every try: the next try goes out one timeout after the previous one.',
      async run(context) {
        const n = 2;
        const server = await graderServer(context, 'silent-server');
        const program = context.start(FILE, { port: server.port, args: [String(n)] });
        let reached!: () => void;
        const enough = new Promise<void>((resolve) => (reached = resolve));
        const rule = (sends: readonly ClientSend[]) => {
          if (enoughGaps(sends)) reached();
          const last = sends.at(-1)!.text;
          const tries = sends.filter((send) => send.text === last).length;
          return tries > MAX_TRIES ? `${FILE} sent ${show(last)} ${tries} times although at most ${MAX_TRIES} tries are allowed` : undefined;
        };
        // The same run goes on to client-gives-up: the tries measured here are its first ones.
        const run = watchPeer(server, program, timing(context, MAX_TRIES * MAX_RETRY_MS + 10_000), rule);
        silent = { program, run, where: hostPort(context.host, server.port), n };
        await Promise.race([enough, run.ending]);
        expectRetryWindow(FILE, run.sends, show);
      },
    },
    {
      id: 'client-gives-up',
      title: `when nothing answers, gives up after at most ${MAX_TRIES} tries: one line on stderr, exit code 1`,
      hint: `Count the tries of the current message. When the ${MAX_TRIES}th has gone unanswered for one timeout, print one line with console.error, set process.exitCode = 1 and close the socket.`,
      async run(context) {
        if (!silent) throw new Error('client-gives-up runs after client-retry-window');
        const { program, run, where, n } = silent;
        const ending = await run.ending;
        const counts = [...sendCounts(run.sends).entries()].map(([text, count]) => `${show(text)} ${count}×`).join(', ') || 'nothing';
        if (ending.kind === 'broke-rule') {
          fail(ending.complaint, {
            expected: `at most ${MAX_TRIES} tries, then one line on stderr and exit code 1`,
            actual: `still sending after ${MAX_TRIES} tries`,
            hint: `Count the tries and stop at ${MAX_TRIES}: a client that retries forever never tells its user that the server is gone.`,
          });
        }
        if (ending.kind === 'stalled') {
          fail(`${FILE} stopped sending (it sent ${counts}) but did not exit`, {
            expected: 'one line on stderr and exit code 1',
            actual: `still running, silent for ${formatDuration(ending.silentMs)}`,
            hint: 'After giving up, close the socket and clear the timer: an open dgram socket keeps the process alive, so the program hangs instead of exiting.',
          });
        }
        if (ending.kind === 'deadline') {
          fail(`${FILE} was still running ${formatDuration(ending.waitedMs)} after it started (it sent ${counts})`, {
            expected: `at most ${MAX_TRIES} tries, at most ${formatDuration(MAX_RETRY_MS)} apart, then exit code 1`,
            actual: 'still running',
            hint: `Retransmit within ${formatDuration(MAX_RETRY_MS)} and give up after ${MAX_TRIES} tries: close the socket, print one line on stderr, set process.exitCode = 1.`,
          });
        }
        const crash = crashReport(program.stderr.text);
        if (ending.kind === 'exited' && crash) {
          fail(`${FILE} crashed instead of giving up cleanly: ${crash.trim()}`, {
            expected: 'one line on stderr, exit code 1',
            actual: `${describeExit(ending.exit)}, a stack trace on stderr`,
            hint: 'Do not throw to give up: print one line with console.error, set process.exitCode = 1 and close the socket.',
          });
        }
        failUnlessExited(context, run, ending, program, n, where);
        if (ending.kind !== 'exited') return;
        const stderr = program.stderr.text.trim();
        const lines = stderr.split('\n').filter((line) => line.trim());
        if (ending.exit.code === 0) {
          fail(`${FILE} exited with code 0 although "msg 1" was never answered (it sent ${counts})`, {
            expected: 'exit code 1',
            actual: 'exit code 0',
            hint: 'Giving up is a failure the caller must be able to see: set process.exitCode = 1 (and print one line on stderr) when a message gets no answer.',
          });
        }
        if (ending.exit.code !== 1 || lines.length !== 1) {
          fail(`${FILE} gave up with exit code ${ending.exit.code ?? ending.exit.signal} and ${lines.length} lines on stderr`, {
            expected: 'exactly one line on stderr and exit code 1',
            actual: stderr ? escapeBytes(Buffer.from(stderr), 200) : '(nothing on stderr)',
            hint: 'console.error one line, such as `no echo of "msg 1" from HOST:PORT after 20 tries`, then process.exitCode = 1.',
          });
        }
        if (outputLines(program.stdout.text).some((line) => line.trim())) {
          fail(`${FILE} printed ${escapeBytes(Buffer.from(program.stdout.text.trim()), 80)} although no echo ever came`, {
            expected: 'nothing on stdout',
            actual: escapeBytes(Buffer.from(program.stdout.text.trim()), 80),
            hint: 'Print a message only when its echo arrives.',
          });
        }
      },
    },
    {
      id: 'client-paces-retries',
      title: `does not flood a lossy link: no bursts of one message, at most ${MAX_SENDS_PER_MESSAGE}×N datagrams for N = ${LOSSY_COUNT}`,
      hint: 'Retransmit from a timer of 100 ms to 1 s that you restart on every try, never in a loop or from setInterval(…, 1). On a real network, a sender that floods makes the loss worse for everyone.',
      async run(context) {
        const n = LOSSY_COUNT;
        const echo = await graderServer(context, 'echo-server', { quiet: true });
        echo.onDatagram((datagram) => void echo.send(datagram.data, datagram.port, datagram.address).catch(() => {}));
        const port = await context.freePort('udp');
        const proxy = await UdpProxy.open({
          host: context.host,
          port,
          target: { address: echo.address, port: echo.port },
          seed: context.random('lossy-link').seed,
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
        lossy = { program, run, ending, proxy, startedAt };
        if (ending.kind === 'broke-rule') {
          fail(ending.complaint, {
            expected: `each message at most about once per 100 ms, and at most ${limit} datagrams in all`,
            actual: `${run.sends.length} datagrams in ${formatDuration(run.sends.at(-1)!.at - run.sends[0]!.at)}`,
            hint: HINT_FASTER_WHEN_ANSWERED,
          });
        }
        const short = shortGaps(run.sends, SHORT_GAP_MS);
        if (short > SHORT_GAPS_ALLOWED) {
          fail(`behind the lossy link, ${FILE} sent a message again less than ${formatDuration(SHORT_GAP_MS)} after its previous try ${short} times`, {
            expected: `every retry at least ${formatDuration(MIN_RETRY_MS)} after the previous try of that message`,
            actual: `${short} retries under ${formatDuration(SHORT_GAP_MS)}, ${run.sends.length} datagrams for ${n} messages`,
            hint: HINT_FASTER_WHEN_ANSWERED,
          });
        }
      },
    },
    {
      id: 'client-survives-loss',
      title: `behind a link that loses, duplicates and reorders, prints each of ${LOSSY_COUNT} echoes once, in order, and exits 0`,
      hint: 'Stop-and-wait: keep the number you are waiting for; on every datagram, print it only if it is that message\'s echo, then move on. Ignore duplicates and late echoes.',
      async run(context) {
        if (!lossy) throw new Error('client-survives-loss runs after client-paces-retries');
        const { program, run, ending, proxy, startedAt } = lossy;
        const lost = (direction: 'up' | 'down') => proxy.arrivals.filter((a) => a.direction === direction && a.fate.dropped).length;
        context.transcript.note(
          'lossy-link',
          `${proxy.counts.up} datagrams from ${FILE} (${lost('up')} lost on the way), ${proxy.counts.down} echoes back (${lost('down')} lost on the way)`,
        );
        failUnlessExited(context, run, ending, program, LOSSY_COUNT, udpAddress(context.host, proxy.port));
        expectOnlyMessages(run.sends, LOSSY_COUNT);
        expectPrinted(program, LOSSY_COUNT, (message) => replayOnLink(context, proxy, startedAt, message));
        const delivered = new Set(proxy.arrivals.filter((a) => a.direction === 'down' && !a.fate.dropped).map((a) => a.data.toString('latin1')));
        expectPrintedWasDelivered(program.stdout.text, delivered, FILE);
        if (ending.kind === 'exited') expectCleanExit(program, ending.exit);
      },
    },
  ];
};
