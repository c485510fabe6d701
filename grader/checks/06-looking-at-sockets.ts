// Lesson 6: the port checker, Node's connect_ex. The grader opens and closes the ports
// itself (its own servers on HOST, free ports with nothing on them and, on Linux, a port
// whose SYNs are dropped) and reads what portcheck.ts prints and how it exits.
import { escapeText } from '../net/escape.ts';
import { GraderServer } from '../net/tcp-server.ts';
import { formatDuration, sleep } from '../run/deadline.ts';
import { describeExit, type RunningProgram } from '../run/program.ts';
import { canMakeUnansweredPort, listenWithoutAnswering } from './06-unanswered-port.ts';
import { fail, skip, type CheckContext, type LessonChecks } from './check.ts';
import { crashReport, exitWithin, expectExit, outputLines } from './shared/exit.ts';
import { hostPort } from './shared/listening.ts';

const FILE = 'portcheck.ts';
/** The contract's "no answer in 2 s". */
const CONNECT_TIMEOUT_MS = 2000;
/** Long enough for node + tsx to start on a loaded machine and for one or two 2 s timeouts. */
const RUN_MS = 15_000;
const MIX_SIZE = 20;

type PortState = 'open' | 'closed' | 'timeout';

const HOST_HINT = 'Read the host from the environment: const HOST = process.env.HOST ?? "127.0.0.1". The grader listens on another loopback address, so a hard-coded 127.0.0.1 or "localhost" finds nothing there.';
const DESTROY_HINT = 'Call socket.destroy() as soon as you know the answer. socket.end() only sends your FIN and then waits for the server\'s: a server that stays silent never sends it, and the open socket keeps your process alive.';

/** One run of the checker: the program, and its arguments. */
interface Run {
  readonly program: RunningProgram;
  readonly args: readonly string[];
}

const FILE_ARGS = (run: Run) => run.args.join(' ');

function startChecker(context: CheckContext, args: readonly string[]): Run {
  return { program: context.start(FILE, { args }), args };
}

/** Complete lines printed so far, without trailing spaces or a carriage return. */
function printedLines(program: RunningProgram): string[] {
  const text = program.stdout.text;
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return outputLines(complete).map((line) => line.trimEnd()).filter((line) => line !== '');
}

/** Waits until the program printed `count` lines or exited (its output read to the end), at most `ms`. */
async function untilLinesOrExit(program: RunningProgram, count: number, ms: number): Promise<string[]> {
  const end = Date.now() + ms;
  while (program.running && printedLines(program).length < count && Date.now() < end) {
    await Promise.race([sleep(20), program.exited]);
  }
  return printedLines(program);
}

function shown(lines: readonly string[]): string {
  return lines.length ? lines.map((line) => escapeText(line)).join(', ') : '(nothing on stdout)';
}

/**
 * A server the grader plays. "greeting" says hello, as SSH or SMTP servers do, and ends
 * when the client ends; "silent" accepts and then never writes nor ends anything.
 */
async function openPort(context: CheckContext, port: number, behaviour: 'greeting' | 'silent'): Promise<GraderServer> {
  const server = await GraderServer.listen(context.host, port, context.transcript, (peer) => {
    if (behaviour === 'silent') return;
    void peer.send('220 grader ready\r\n');
    peer.socket.on('end', () => peer.end());
  });
  context.onCleanup(() => server.close());
  return server;
}

/** What the program's ending says about a port it reported wrongly, for the hint. */
function stateHint(port: number, expected: PortState, line: string | undefined, stderr: string): string | undefined {
  const said = line?.slice(String(port).length + 1);
  if (expected === 'open' && (said === 'closed' || /ECONNREFUSED/.test(stderr))) return HOST_HINT;
  if (expected === 'open' && said === 'timeout') return 'The server accepted the connection but sends nothing: "connect" is the answer. Waiting for "data" (or for the server to close) is waiting for something a port checker never needs.';
  if (expected === 'closed' && said === 'open') return 'Nothing listens on that port, yet you reported it open: decide "open" only in the "connect" handler, and turn an "error" with err.code === "ECONNREFUSED" into "closed".';
  if (expected === 'closed' && crashReport(stderr)) return 'A refused connection is reported on the socket\'s "error" event; without a listener for it, Node throws and the process dies. socket.on("error", (err) => ... err.code ...).';
  if (expected === 'timeout') return `Nothing answers that port: no accept, no refusal. Set a deadline with socket.setTimeout(${CONNECT_TIMEOUT_MS}) (or the timeout option of net.connect), and on "timeout" destroy the socket and report "PORT timeout".`;
  return undefined;
}

/** Fails unless the one-port run printed exactly "PORT STATE". */
function expectReport(context: CheckContext, run: Run, lines: readonly string[], port: number, expected: PortState): void {
  const want = `${port} ${expected}`;
  if (lines.length === 1 && lines[0] === want) return;
  const { program } = run;
  const crash = crashReport(program.stderr.text);
  const how = program.exit ? `, then ${describeExit(program.exit)}` : '';
  const what = expected === 'timeout' ? 'a port that never answers' : `a port that is ${expected}`;
  fail(
    crash && lines.length === 0
      ? `${FILE} crashed instead of reporting port ${port}: ${crash.trim()}`
      : lines.length === 0 && program.running
        ? `${FILE} ${FILE_ARGS(run)} printed nothing in ${formatDuration(context.ms(RUN_MS))} and was still running, for ${what}`
        : `${FILE} ${FILE_ARGS(run)} printed ${shown(lines)}${how} for ${what}`,
    {
      expected: escapeText(want),
      actual: program.running && lines.length === 0 ? `nothing printed after ${formatDuration(context.ms(RUN_MS))}, still running` : `${shown(lines)}${how}`,
      hint: stateHint(port, expected, lines.find((line) => line.startsWith(`${port} `)), program.stderr.text),
    },
  );
}

/** The ports of one mixed run, and what each is now. */
interface Mix {
  readonly ports: number[];
  readonly states: Map<number, PortState>;
  readonly servers: Map<number, GraderServer>;
}

function expectedLines(mix: Mix): string[] {
  return mix.ports.map((port) => `${port} ${mix.states.get(port)}`);
}

/** Fails, naming the first wrong line, unless the mixed run printed exactly `expected`. */
function expectMix(context: CheckContext, run: Run, lines: readonly string[], mix: Mix, round: string, changed: ReadonlySet<number>): void {
  const expected = expectedLines(mix);
  if (lines.length === expected.length && lines.every((line, i) => line === expected[i])) return;
  const sameSet = lines.length === expected.length && [...lines].sort().join('\n') === [...expected].sort().join('\n');
  const at = expected.findIndex((line, i) => lines[i] !== line);
  const port = mix.ports[at]!;
  const line = lines.find((printed) => printed.startsWith(`${port} `));
  const stale = changed.has(port) && line !== undefined && line !== expected[at];
  const stillRunning = run.program.running && lines.length < expected.length;
  fail(
    sameSet
      ? `${FILE} printed the right results in the wrong order (${round}): line ${at + 1} is ${escapeText(lines[at]!)}, not ${escapeText(expected[at]!)}`
      : stillRunning
        ? `${FILE} printed ${lines.length} of ${expected.length} lines and was still running ${formatDuration(context.ms(RUN_MS))} after it started (${round})`
        : `${FILE} reported port ${port} wrongly (${round}): ${line ? escapeText(line) : 'no line for it'} instead of ${escapeText(expected[at]!)}${stale ? ', the state it had before the grader changed it' : ''}`,
    {
      expected: expected.join(' | '),
      actual: lines.length ? lines.join(' | ') : '(nothing on stdout)',
      hint: sameSet
        ? 'Print in the order of the arguments, not in the order the answers arrive: a port that times out answers last. Keep the results in an array (Promise.all keeps order) and print once all are known, or check the ports one after the other.'
        : stillRunning
          ? stateHint(port, 'timeout', undefined, '')
          : stale
            ? 'Connect again on every run and report what happens now: the grader opened and closed ports between the two runs.'
            : stateHint(port, mix.states.get(port)!, line, run.program.stderr.text),
    },
  );
}

/** Why the first bad argument is not a port, in terms of the parse mistake that lets it through. */
function whyNotAPort(args: readonly string[]): string {
  const bad = args.find((arg) => !/^\d+$/.test(arg) || Number(arg) < 1 || Number(arg) > 65535) ?? '';
  return `${escapeText(bad)} is not a port: ${reason(bad)}`;
}

function reason(bad: string): string {
  if (/^\d+\D/.test(bad)) return `parseInt("${bad}") is ${parseInt(bad, 10)} because it stops at the first non-digit, but "${bad}" is not a number at all (Number("${bad}") is NaN). Accept digits only: /^\\d+$/.`;
  if (!/^\d+$/.test(bad)) return `it is not a whole decimal number (Number("${bad}") is ${Number(bad)}).`;
  if (Number(bad) === 0) return 'port 0 means "any free port" to bind(), and nothing can be connected to on it; ports to check go from 1 to 65535.';
  return `ports go from 1 to 65535, and net.connect throws ERR_SOCKET_BAD_PORT for ${bad}.`;
}

export const lookingAtSocketsChecks: LessonChecks = () => {
  let openRun: Run;
  let closedRun: Run;
  let mixedRun: Run;
  let silentRun: Run;
  let silentServer: GraderServer;

  return [
    {
      id: 'reports-open',
      title: 'reports a port with a listening server as "PORT open"',
      hint: 'Connect with net.connect(port, HOST), HOST from the environment, and print `${port} open` on "connect".',
      async run(context) {
        const port = await context.freePort();
        await openPort(context, port, 'greeting');
        openRun = startChecker(context, [String(port)]);
        const lines = await untilLinesOrExit(openRun.program, 1, context.ms(RUN_MS));
        expectReport(context, openRun, lines, port, 'open');
      },
    },
    {
      id: 'reports-closed',
      title: 'reports a port with nothing listening as "PORT closed", without crashing on ECONNREFUSED',
      hint: 'Listen for "error" on the socket: err.code === "ECONNREFUSED" means the port is closed. Without an "error" listener, Node throws and the process dies.',
      async run(context) {
        const port = await context.freePort();
        closedRun = startChecker(context, [String(port)]);
        await exitWithin(closedRun.program, context.ms(RUN_MS));
        const lines = printedLines(closedRun.program);
        expectReport(context, closedRun, lines, port, 'closed');
        const crash = crashReport(closedRun.program.stderr.text);
        if (crash) {
          fail(`${FILE} printed "${port} closed" but then crashed: ${crash.trim()}`, {
            expected: 'one line, then a normal exit',
            actual: `an uncaught error: ${crash.trim()}`,
            hint: 'Handle "error" on every socket you create, and do not throw from it: report the port and carry on.',
          });
        }
      },
    },
    {
      id: 'silent-server-open',
      title: 'reports "open" for a server that accepts and never says anything (does not wait for data)',
      hint: 'Decide on "connect": the connection is established, that is all "open" means. Never wait for "data".',
      async run(context) {
        const port = await context.freePort();
        silentServer = await openPort(context, port, 'silent');
        silentRun = startChecker(context, [String(port)]);
        const lines = await untilLinesOrExit(silentRun.program, 1, context.ms(RUN_MS));
        expectReport(context, silentRun, lines, port, 'open');
      },
    },
    {
      id: 'closes-connections',
      title: 'closes its connection to that silent server and exits by itself',
      hint: DESTROY_HINT,
      async run(context) {
        const { program } = silentRun;
        const exit = await exitWithin(program, context.ms(5000));
        const peers = silentServer.peers;
        if (!exit) {
          const finned = peers.length > 0 && peers.every((peer) => peer.gotEnd || peer.closed);
          fail(`${FILE} was still running ${formatDuration(context.ms(5000))} after it printed its answer`, {
            expected: 'the connection closed and the process gone',
            actual: finned ? 'the server got a FIN from it, but the process is still running' : 'the connection is still open and the process still running',
            hint: finned
              ? 'socket.end() sent your FIN, but end() waits for the server\'s FIN before the socket is closed, and this server never sends one. Use socket.destroy(): a port checker has nothing left to say or hear.'
              : 'The open socket keeps the process alive: call socket.destroy() as soon as "connect" fires (and in every other ending: error, timeout).',
          });
        }
        // The kernel closes what the process left open when it exits; each end is seen shortly after.
        await Promise.all(peers.map((peer) => peer.untilEndOrClose(context.ms(3000), 'the checker\'s connection to end').catch(() => {})));
        const open = peers.filter((peer) => !peer.gotEnd && !peer.closed);
        if (open.length > 0) {
          fail(`${open.length} of ${peers.length} connections to the silent server were still open after ${FILE} exited`, {
            expected: 'every connection closed by the time the checker exits',
            actual: `${open.length} still open`,
            hint: DESTROY_HINT,
          });
        }
      },
    },
    {
      id: 'reports-timeout',
      title: `reports a port that never answers as "PORT timeout" after ${CONNECT_TIMEOUT_MS / 1000} s, instead of hanging`,
      hint: `A connect nobody answers can hang for minutes before the kernel gives up (ETIMEDOUT). socket.setTimeout(${CONNECT_TIMEOUT_MS}) (or net.connect({ ..., timeout: ${CONNECT_TIMEOUT_MS} })) fires "timeout": destroy the socket there and report "PORT timeout".`,
      async run(context) {
        if (!canMakeUnansweredPort) skip('only Linux lets the grader make a port that drops connections');
        const port = await context.freePort();
        await listenWithoutAnswering(context, port);
        context.transcript.note('grader', `${hostPort(context.host, port)} listens with a full accept queue: the kernel drops every new SYN`);
        const run = startChecker(context, [String(port)]);
        const lines = await untilLinesOrExit(run.program, 1, context.ms(RUN_MS));
        expectReport(context, run, lines, port, 'timeout');
      },
    },
    {
      id: 'argument-order',
      title: `reports ${MIX_SIZE} open and closed ports in argument order, and again after the grader flipped some`,
      hint: 'Print one line per argument, in the order of the arguments, and connect afresh on every run.',
      async run(context) {
        const random = context.random('mix');
        const mix: Mix = { ports: [], states: new Map(), servers: new Map() };
        const timeoutAt = canMakeUnansweredPort ? random.int(1, MIX_SIZE / 2) : -1;
        for (let i = 0; i < MIX_SIZE; i++) {
          const port = await context.freePort();
          mix.ports.push(port);
          if (i === timeoutAt) {
            await listenWithoutAnswering(context, port);
            mix.states.set(port, 'timeout');
          } else if (i % 5 === 0 || (i % 5 !== 1 && random.chance(0.5))) {
            mix.servers.set(port, await openPort(context, port, 'greeting'));
            mix.states.set(port, 'open');
          } else {
            mix.states.set(port, 'closed');
          }
        }
        context.transcript.note('grader', `ports now: ${mix.ports.map((port) => `${port} ${mix.states.get(port)}`).join(', ')}`);
        mixedRun = startChecker(context, mix.ports.map(String));
        expectMix(context, mixedRun, await untilLinesOrExit(mixedRun.program, MIX_SIZE, context.ms(RUN_MS)), mix, 'first run', new Set());

        // Close some open ports and open some closed ones, on the same numbers, just before the second run.
        const changed = new Set<number>();
        for (const port of mix.ports) {
          const state = mix.states.get(port);
          if (state === 'timeout' || !random.chance(0.4)) continue;
          if (state === 'open') {
            await mix.servers.get(port)!.close();
            mix.states.set(port, 'closed');
          } else {
            mix.servers.set(port, await openPort(context, port, 'greeting'));
            mix.states.set(port, 'open');
          }
          changed.add(port);
        }
        context.transcript.note('grader', `flipped ${[...changed].join(', ')}; ports now: ${mix.ports.map((port) => `${port} ${mix.states.get(port)}`).join(', ')}`);
        const again = startChecker(context, mix.ports.map(String));
        expectMix(context, again, await untilLinesOrExit(again.program, MIX_SIZE, context.ms(RUN_MS)), mix, 'second run, after the grader flipped some ports', changed);
      },
    },
    {
      id: 'exit-codes',
      title: 'exits with code 0 when every port is open, 1 when any is not',
      hint: 'Set process.exitCode = results.every((result) => result === "open") ? 0 : 1 once all ports are reported.',
      async run(context) {
        const cases: Array<[Run, number, string]> = [
          [openRun, 0, 'every port open'],
          [closedRun, 1, 'a closed port'],
          [mixedRun, 1, 'a mix of open and closed ports'],
        ];
        for (const [run, code, what] of cases) {
          const exit = await expectExit(run.program, context.ms(5000), 'it printed its report');
          if (exit.code === code) continue;
          fail(`${FILE} ${FILE_ARGS(run).slice(0, 60)} ${describeExit(exit)} for ${what}`, {
            expected: `exit code ${code}`,
            actual: describeExit(exit),
            hint: code === 1
              ? 'A script that can fail tells its caller with the exit code: set process.exitCode = 1 when any port is not open (a shell can then write `portcheck.ts 80 && echo up`).'
              : 'Exit with code 0 when every port is open: set process.exitCode from the results instead of always failing.',
          });
        }
      },
    },
    {
      id: 'usage-errors',
      title: 'rejects a bad argument (none, "abc", 0, 70000, "8080x") with exit code 2 and one line on stderr',
      hint: 'Check every argument before connecting anywhere: /^\\d+$/.test(arg) and 1 <= Number(arg) <= 65535. Otherwise console.error one usage line and set process.exitCode = 2.',
      async run(context) {
        const port = await context.freePort();
        await openPort(context, port, 'greeting');
        const cases = [[], ['abc'], ['0'], [String(port), '70000'], ['8080x']].map((args) => startChecker(context, args));
        await Promise.all(cases.map((run) => exitWithin(run.program, context.ms(RUN_MS))));
        for (const run of cases) {
          const { program } = run;
          const shownArgs = run.args.length ? run.args.map((arg) => escapeText(arg)).join(' ') : 'no arguments';
          const stderr = program.stderr.text.split('\n').filter((line) => line.trim());
          const crash = crashReport(program.stderr.text);
          const printed = printedLines(program);
          const exitText = program.exit ? describeExit(program.exit) : 'still running';
          if (program.exit?.code === 2 && stderr.length === 1 && !crash && printed.length === 0) continue;
          fail(`with ${shownArgs}, ${FILE} ${exitText}${crash ? ` after an uncaught error: ${crash.trim()}` : ''}`, {
            expected: 'exit code 2, one usage line on stderr, nothing on stdout',
            actual: `${exitText}; stderr: ${stderr.length} line(s)${stderr.length ? ` (${escapeText(stderr[0]!, 80)})` : ''}; stdout: ${shown(printed)}`,
            hint: crash
              ? 'Do not let a bad argument reach net.connect or throw: Node throws ERR_SOCKET_BAD_PORT for 70000, and a stack trace is not a usage message. Check first that each argument is a whole number from 1 to 65535, then console.error one line and set process.exitCode = 2.'
              : program.exit?.code === 2 && printed.length
                ? `You checked ports before rejecting ${shownArgs}: validate every argument first, then connect.`
                : program.exit?.code === 2 && stderr.length !== 1
                  ? 'Print exactly one line on stderr, such as "usage: portcheck.ts PORT... (each PORT from 1 to 65535)".'
                  : run.args.length === 0
                  ? 'With no arguments there is nothing to check: that is a usage error too (exit code 2, one line on stderr).'
                  : `${whyNotAPort(run.args)} Refuse it before connecting: console.error one usage line and set process.exitCode = 2.`,
          });
        }
      },
    },
  ];
};
