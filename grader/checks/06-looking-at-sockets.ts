// Lesson 6: the port checker, Node's connect_ex. The grader opens and closes the ports
// itself (its own servers on HOST, free ports with nothing on them and, on Linux, a port
// whose SYNs are dropped) and reads what portcheck.ts prints, when, and how it exits. What it
// prints is checked against the wire: its servers count the connections they accept, so
// "open" must come from a real connection, and on Linux the kernel's socket table shows how
// long each of the program's sockets stayed connecting or connected: "timeout" must come about
// 2 s after the connect began, and an open port's connection must be closed at once.
import { escapeText } from '../net/escape.ts';
import { GraderServer } from '../net/tcp-server.ts';
import { formatDuration } from '../run/deadline.ts';
import { describeExit } from '../run/program.ts';
import { expectErrorReport } from './06-looking-at-sockets/error-report.ts';
import { FILE, FILE_ARGS, observe, shown, startChecker, untilLinesOrExit, type Run } from './06-looking-at-sockets/run.ts';
import { SocketWatch, type Sighting } from './06-looking-at-sockets/socket-watch.ts';
import { LOOPBACK_BROADCAST, unreachableAddress, type Unreachable } from './06-looking-at-sockets/unreachable.ts';
import { BAD_ARGUMENTS, expectUsageError } from './06-looking-at-sockets/usage.ts';
import { canMakeUnansweredPort, listenWithoutAnswering } from './06-unanswered-port.ts';
import { fail, skip, type CheckContext, type LessonChecks } from './check.ts';
import { crashReport, exitWithin, expectExit } from './shared/exit.ts';
import { hostPort } from './shared/listening.ts';

/** The contract's "no answer in 2 s". */
const CONNECT_TIMEOUT_MS = 2000;
/**
 * A 2 s timer does not fire (much) early, so "timeout" sooner than this after the connect began
 * is a shorter timeout. Not scaled: a slow machine only makes the answer later.
 */
const TIMEOUT_SOONEST_MS = CONNECT_TIMEOUT_MS - 200;
/** How much later than 2 s "timeout" may come, before scaling: a loaded machine's timers and pipes lag. */
const TIMEOUT_SLACK_MS = 2000;
/**
 * The longest the kernel may show the program's connect to the unanswered port still trying.
 * Not scaled: a socket the kernel showed at two looks existed at least that long, whatever the
 * load, and a 2 s timer is late by far less than a second even on a busy machine.
 */
const CONNECT_GIVEN_UP_MS = 3000;
/** The longest the kernel may show the program's connection to an open port established: "closes as soon as it knows". Not scaled, for the same reason. */
const HOLD_MS = 1000;
/** The contract's "exits after its last answer", before scaling. */
const EXIT_MS = 1000;
/** How long the grader waits for its server to accept the connection behind an "open", before scaling. */
const ACCEPT_MS = 2000;
/** Long enough for node + tsx to start on a loaded machine and for one or two 2 s timeouts. */
const RUN_MS = 15_000;
const MIX_SIZE = 20;

type PortState = 'open' | 'closed' | 'timeout';

const HOST_HINT = 'Read the host from the environment: const HOST = process.env.HOST ?? "127.0.0.1". The grader listens on another loopback address, so a hard-coded 127.0.0.1 or "localhost" finds nothing there.';
const DESTROY_HINT = 'Call socket.destroy() as soon as you know the answer. socket.end() only sends your FIN and then waits for the server\'s: a server that stays silent never sends it, and the open socket keeps your process alive.';

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

/** A port the program is to report open, the grader's server on it, and how many connections it had accepted before the run (taken before starting it). */
interface OpenClaim {
  readonly port: number;
  readonly server: GraderServer;
  readonly acceptedBefore: number;
}

function claim(port: number, server: GraderServer): OpenClaim {
  return { port, server, acceptedBefore: server.peers.length };
}

/** Fails unless the grader's server on every port reported open accepted a connection during the run. */
async function expectConnected(context: CheckContext, run: Run, claims: readonly OpenClaim[]): Promise<void> {
  // "open" is printed once the handshake is done, so the connection is already in the server's
  // accept queue; the grader's own event loop may just not have taken it yet.
  const end = Date.now() + context.ms(ACCEPT_MS);
  for (const { port, server, acceptedBefore } of claims) {
    if (await server.accepted(acceptedBefore + 1, Math.max(0, end - Date.now()))) continue;
    const where = hostPort(context.host, port);
    context.transcript.note('grader', `${where}: no connection accepted during this run of ${FILE}`);
    fail(`${FILE} ${FILE_ARGS(run).slice(0, 60)} reported port ${port} open, but the grader's server on ${where} saw no connection from it`, {
      expected: `a connection accepted by the grader's server on ${where}, then "${port} open"`,
      actual: `"${port} open" printed; the server accepted no connection in ${formatDuration(context.ms(ACCEPT_MS))}`,
      hint: 'Report "open" only from the "connect" event of a connection you made yourself: net.connect(port, HOST). Reading which sockets listen (/proc/net/tcp, ss, netstat, lsof) tells you what the kernel lists, not whether a connection can be made, and the grader checks that its server really saw yours.',
    });
  }
}

/** Fails unless the "timeout" line came about 2 s after the connect began: not sooner, not much later. */
function expectTimeoutWindow(context: CheckContext, run: Run, port: number, attempt: Sighting | undefined): void {
  const lineAt = run.lineSeenAt[0]!;
  const seen = attempt !== undefined;
  const since = seen ? 'after its connect began' : 'after it started';
  const window = `about ${formatDuration(CONNECT_TIMEOUT_MS)} after the connect began`;
  // Sooner: measured from a moment before the connect began (or the program's start), so never too short.
  const soonest = lineAt - (attempt?.lastMissAt ?? run.program.startedAt);
  if (soonest < TIMEOUT_SOONEST_MS) {
    fail(`${FILE} reported "${port} timeout" ${formatDuration(soonest)} ${since}: before the ${formatDuration(CONNECT_TIMEOUT_MS)} a port is given to answer`, {
      expected: `"${port} timeout", ${window}`,
      actual: `"${port} timeout" at most ${formatDuration(soonest)} ${since}`,
      hint: `Wait the full ${formatDuration(CONNECT_TIMEOUT_MS)} before giving up: socket.setTimeout(${CONNECT_TIMEOUT_MS}), in milliseconds. A port on a busy or distant host can take longer than ${formatDuration(soonest)} to answer, and a shorter deadline reports it as "timeout" although it is open.`,
    });
  }
  // Later: measured from a moment after the connect began (or, unseen, from the start, with room for node to start).
  const latest = CONNECT_TIMEOUT_MS + context.ms(seen ? TIMEOUT_SLACK_MS : 2 * TIMEOUT_SLACK_MS);
  const took = lineAt - (attempt?.firstSeenAt ?? run.program.startedAt);
  if (took > latest) {
    fail(`${FILE} reported "${port} timeout" only ${formatDuration(took)} ${since}: the contract gives a port ${formatDuration(CONNECT_TIMEOUT_MS)}`, {
      expected: `"${port} timeout", ${window} (${formatDuration(latest)} at the latest)`,
      actual: `"${port} timeout" ${formatDuration(took)} ${since}`,
      hint: LATE_TIMEOUT_HINT,
    });
  }
}

const LATE_TIMEOUT_HINT = `Give up after ${formatDuration(CONNECT_TIMEOUT_MS)}, not later: socket.setTimeout(${CONNECT_TIMEOUT_MS}) counts milliseconds from the connect, and on "timeout" destroy the socket and report at once. A checker that waits longer than it promised makes every script that uses it wait too.`;

/** Fails if the kernel showed the program's connect to the unanswered port still trying after CONNECT_GIVEN_UP_MS: its own timer is late, whatever the grader's pipes and timers did. */
function expectConnectGivenUp(run: Run, port: number, watch: SocketWatch): void {
  const proven = watch.longestProvenMs();
  if (proven <= CONNECT_GIVEN_UP_MS) return;
  fail(`${FILE} kept trying to connect to the port that never answers for ${formatDuration(proven)} at least, per the kernel's socket table: the contract gives a port ${formatDuration(CONNECT_TIMEOUT_MS)}`, {
    expected: `its connect to port ${port} given up (the socket destroyed) about ${formatDuration(CONNECT_TIMEOUT_MS)} after it began, ${formatDuration(CONNECT_GIVEN_UP_MS)} at the latest`,
    actual: `its socket was in SYN-SENT for at least ${formatDuration(proven)}`,
    hint: LATE_TIMEOUT_HINT,
  });
}

/** Fails if the kernel showed the program's connection to an open port established for longer than HOLD_MS. */
function expectClosedPromptly(port: number, watch: SocketWatch): void {
  watch.look();
  const proven = watch.longestProvenMs();
  if (proven <= HOLD_MS) return;
  fail(`${FILE} kept its connection to the open port ${port} established for ${formatDuration(proven)} at least, per the kernel's socket table`, {
    expected: `the connection closed as soon as "connect" fired (within ${formatDuration(HOLD_MS)})`,
    actual: `established for at least ${formatDuration(proven)}`,
    hint: 'It held the connection open long after it knew the port was open, as if waiting for an idle timeout or for data. "connect" is the whole answer: call socket.destroy() in the "connect" handler, then report. Every open port you hold ties up a slot of that server.',
  });
}

/** A socket the program left open, in words for "actual" and the hint. */
interface LeftOpen {
  readonly actual: string;
  readonly hint: string;
}

function connectionLeftOpen(server: GraderServer): () => LeftOpen | undefined {
  return () => {
    const open = server.peers.filter((peer) => !peer.gotEnd && !peer.closed);
    if (!open.length) return undefined;
    return {
      actual: `its connection to port ${server.port} still open`,
      hint: `Its connection to port ${server.port} is still open, and an open socket keeps Node's event loop, and so the process, alive. Call socket.destroy() as soon as you know the answer, in every ending: "connect", "timeout" and "error".`,
    };
  };
}

function connectLeftTrying(port: number, watch: SocketWatch): () => LeftOpen | undefined {
  return () => {
    if (!watch.look()) return undefined;
    return {
      actual: `its socket to port ${port} still in SYN-SENT (still connecting)`,
      hint: `It printed "${port} timeout" but left that socket open: the kernel still shows it in SYN-SENT, resending its SYN, and the open socket keeps the process alive. socket.setTimeout() only emits "timeout"; it does not close anything. Call socket.destroy() in the "timeout" handler.`,
    };
  };
}

/** The first of the mix's servers with a connection still open, in words. */
function mixLeftOpen(mix: Mix): () => LeftOpen | undefined {
  return () => {
    for (const server of mix.servers.values()) {
      const open = connectionLeftOpen(server)();
      if (open) return open;
    }
    return undefined;
  };
}

/** Fails unless the program ended within EXIT_MS of its last line. `leftOpen` names a socket it left open, if it did. */
async function expectExitAfterAnswers(context: CheckContext, run: Run, leftOpen?: () => LeftOpen | undefined): Promise<void> {
  const { program } = run;
  const limit = context.ms(EXIT_MS);
  const lastLineAt = run.lineSeenAt.at(-1) ?? Date.now();
  // A timer counts from the event loop's cached clock and may fire a little before Date.now() says it is due.
  while (program.running && Date.now() < lastLineAt + limit) await exitWithin(program, lastLineAt + limit - Date.now());
  const endedAt = program.running ? undefined : (run.exitedAt ?? Date.now());
  const after = (endedAt ?? Date.now()) - lastLineAt;
  if (endedAt !== undefined && after <= limit) return;
  const open = endedAt === undefined ? leftOpen?.() : undefined;
  fail(`${FILE} ${FILE_ARGS(run).slice(0, 60)} printed every answer but was still running ${formatDuration(after)} later: close every socket and let the program end`, {
    expected: `the process gone within ${formatDuration(limit)} of its last line`,
    actual: endedAt === undefined
      ? `still running${open ? `, ${open.actual}` : ''}`
      : `${describeExit(program.exit!)} ${formatDuration(after)} after its last line`,
    hint: open
      ? open.hint
      : 'Every connection it made is closed, yet the process kept running: something else keeps the event loop alive, such as a setTimeout or setInterval never cleared, a server, or stdin being read. Clear each timer once its port has answered; do not hide it with process.exit(), which can cut the output short.',
  });
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

function exitCodeHint(mixed: boolean, code: number): string {
  if (mixed && code === 1) return 'It exited 0 although some ports in the middle were closed; only the first and the last were open. The exit code must come from every result, not from one port (the last answer, or the first): process.exitCode = results.every((result) => result === "open") ? 0 : 1.';
  if (code === 1) return 'A script that can fail tells its caller with the exit code: set process.exitCode = 1 when any port is not open (a shell can then write `portcheck.ts 80 && echo up`).';
  return 'Exit with code 0 when every port is open: set process.exitCode from the results instead of always failing.';
}

export const lookingAtSocketsChecks: LessonChecks = () => {
  let openRun: Run;
  let closedRun: Run;
  let mixedRun: Run;
  let silentRun: Run;
  let silentServer: GraderServer;
  let silentWatch: SocketWatch;
  let openServer: GraderServer;
  let openClaim: OpenClaim;
  let unreachable: Unreachable | undefined;
  let errorRun: Run | undefined;
  /** The unanswered port of argument-order, made during reports-timeout. */
  let mixUnanswered: { port: number; ready: Promise<void> } | undefined;

  return [
    {
      id: 'usage-errors',
      title: `rejects a bad argument (none, ${BAD_ARGUMENTS.map((arg) => JSON.stringify(arg)).join(', ')}) with exit code 2 and one line on stderr, before any connect`,
      hint: 'Check every argument before connecting anywhere: /^[1-9]\\d*$/.test(arg) and Number(arg) <= 65535. Otherwise console.error one usage line and set process.exitCode = 2.',
      async run(context) {
        const port = await context.freePort();
        await openPort(context, port, 'greeting');
        const argLists = [[], ...BAD_ARGUMENTS.map((arg) => (arg === '70000' ? [String(port), arg] : [arg]))];
        const cases = argLists.map((args) => startChecker(context, args));
        await Promise.all(cases.map((run) => exitWithin(run.program, context.ms(RUN_MS))));
        for (const run of cases) expectUsageError(run);
      },
    },
    {
      id: 'reports-open',
      title: 'reports a port with a listening server as "PORT open"',
      hint: 'Connect with net.connect(port, HOST), HOST from the environment, and print `${port} open` on "connect".',
      async run(context) {
        const port = await context.freePort();
        openServer = await openPort(context, port, 'greeting');
        openClaim = claim(port, openServer);
        openRun = startChecker(context, [String(port)]);
        const lines = await untilLinesOrExit(openRun, 1, context.ms(RUN_MS));
        expectReport(context, openRun, lines, port, 'open');
      },
    },
    {
      id: 'connects-to-open-port',
      title: 'reports "open" only after connecting: the grader\'s server on that port accepted its connection',
      hint: 'Decide "open" in the "connect" handler of your own net.connect(port, HOST): the grader counts the connections its servers accept.',
      async run(context) {
        await expectConnected(context, openRun, [openClaim]);
      },
    },
    {
      id: 'reports-closed',
      title: 'reports a port with nothing listening as "PORT closed", without crashing on ECONNREFUSED',
      hint: 'Listen for "error" on the socket: err.code === "ECONNREFUSED" means the port is closed. Without an "error" listener, Node throws and the process dies.',
      async run(context) {
        const port = await context.freePort();
        // The next check's run, started now so that both wait together.
        unreachable = await unreachableAddress(context, port);
        closedRun = startChecker(context, [String(port)]);
        if (unreachable) {
          context.transcript.note('grader', `the next run gets HOST=${unreachable.host}, the loopback network's broadcast address: the kernel refuses a TCP connect to it with ${unreachable.code} before sending anything`);
          errorRun = startChecker(context, [String(port)], { HOST: unreachable.host });
        }
        await untilLinesOrExit(closedRun, 1, context.ms(RUN_MS));
        // A crash (or another line) right after the line still counts; one that keeps running is the next check's.
        await exitWithin(closedRun.program, context.ms(EXIT_MS));
        const lines = observe(closedRun);
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
      id: 'reports-error',
      title: 'reports a connect that fails with another error than ECONNREFUSED as "PORT error CODE", not "closed"',
      hint: 'Only ECONNREFUSED means closed. For any other err.code, report `${port} error ${err.code}`.',
      async run(context) {
        if (!unreachable || !errorRun) skip(`this machine does not refuse a TCP connect to ${LOOPBACK_BROADCAST} at once`);
        await untilLinesOrExit(errorRun, 1, context.ms(RUN_MS));
        await exitWithin(errorRun.program, context.ms(EXIT_MS));
        expectErrorReport(errorRun, observe(errorRun), unreachable);
      },
    },
    {
      id: 'exits-after-answers',
      title: `exits by itself within ${formatDuration(EXIT_MS)} of printing its last answer`,
      hint: 'Once every port is reported, nothing may keep the event loop alive: destroy every socket and clear every timer, and the process ends by itself.',
      async run(context) {
        await expectExitAfterAnswers(context, openRun, connectionLeftOpen(openServer));
        await expectExitAfterAnswers(context, closedRun);
      },
    },
    {
      id: 'silent-server-open',
      title: 'reports "open" for a server that accepts and never says anything (does not wait for data)',
      hint: 'Decide on "connect": the connection is established, that is all "open" means. Never wait for "data".',
      async run(context) {
        const port = await context.freePort();
        silentServer = await openPort(context, port, 'silent');
        const silentClaim = claim(port, silentServer);
        silentWatch = SocketWatch.start(context, port, 'ESTABLISHED');
        silentRun = startChecker(context, [String(port)]);
        const lines = await untilLinesOrExit(silentRun, 1, context.ms(RUN_MS));
        expectReport(context, silentRun, lines, port, 'open');
        await expectConnected(context, silentRun, [silentClaim]);
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
        expectClosedPromptly(silentServer.port, silentWatch);
        silentWatch.stop();
      },
    },
    {
      id: 'reports-timeout',
      title: `reports a port that never answers as "PORT timeout" after ${CONNECT_TIMEOUT_MS / 1000} s, instead of hanging`,
      hint: `A connect nobody answers can hang for minutes before the kernel gives up (ETIMEDOUT). socket.setTimeout(${CONNECT_TIMEOUT_MS}) (or net.connect({ ..., timeout: ${CONNECT_TIMEOUT_MS} })) fires "timeout": destroy the socket there and report "PORT timeout".`,
      async run(context) {
        if (!canMakeUnansweredPort) skip('only Linux lets the grader make a port that drops connections');
        const port = await context.freePort();
        // The next check's unanswered port is made meanwhile: proving a SYN dropped takes a second of waiting.
        const mixPort = await context.freePort();
        mixUnanswered = { port: mixPort, ready: listenWithoutAnswering(context, mixPort) };
        mixUnanswered.ready.catch(() => {}); // awaited (and so reported) by the next check
        await listenWithoutAnswering(context, port);
        context.transcript.note('grader', `${hostPort(context.host, port)} listens with a full accept queue: the kernel drops every new SYN`);
        const watch = SocketWatch.start(context, port, 'SYN-SENT');
        const run = startChecker(context, [String(port)]);
        const lines = await untilLinesOrExit(run, 1, context.ms(RUN_MS));
        expectReport(context, run, lines, port, 'timeout');
        if (watch.first) context.transcript.note('grader', `${FILE}'s connect to ${hostPort(context.host, port)} was seen in SYN-SENT: its SYN is unanswered`);
        expectTimeoutWindow(context, run, port, watch.first);
        await expectExitAfterAnswers(context, run, connectLeftTrying(port, watch));
        watch.look();
        watch.stop();
        expectConnectGivenUp(run, port, watch);
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
          const port = i === timeoutAt && mixUnanswered ? mixUnanswered.port : await context.freePort();
          mix.ports.push(port);
          if (i === timeoutAt) {
            await (mixUnanswered?.ready ?? listenWithoutAnswering(context, port));
            mix.states.set(port, 'timeout');
          } else if (i % 5 === 0 || i === MIX_SIZE - 1 || (i % 5 !== 1 && random.chance(0.5))) {
            // The first and the last are always open, every fifth from the second closed: an
            // exit code taken from one end only is wrong on every seed.
            mix.servers.set(port, await openPort(context, port, 'greeting'));
            mix.states.set(port, 'open');
          } else {
            mix.states.set(port, 'closed');
          }
        }
        context.transcript.note('grader', `ports now: ${mix.ports.map((port) => `${port} ${mix.states.get(port)}`).join(', ')}`);
        const openClaims = () => mix.ports.filter((port) => mix.states.get(port) === 'open').map((port) => claim(port, mix.servers.get(port)!));
        const firstClaims = openClaims();
        mixedRun = startChecker(context, mix.ports.map(String));
        expectMix(context, mixedRun, await untilLinesOrExit(mixedRun, MIX_SIZE, context.ms(RUN_MS)), mix, 'first run', new Set());
        await expectConnected(context, mixedRun, firstClaims);
        await expectExitAfterAnswers(context, mixedRun, mixLeftOpen(mix));

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
        const secondClaims = openClaims();
        const again = startChecker(context, mix.ports.map(String));
        expectMix(context, again, await untilLinesOrExit(again, MIX_SIZE, context.ms(RUN_MS)), mix, 'second run, after the grader flipped some ports', changed);
        await expectConnected(context, again, secondClaims);
        await expectExitAfterAnswers(context, again, mixLeftOpen(mix));
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
          [mixedRun, 1, 'a mix of open and closed ports, the first and the last open'],
          ...(errorRun ? [[errorRun, 1, 'a port whose connect failed'] as [Run, number, string]] : []),
        ];
        for (const [run, code, what] of cases) {
          const exit = await expectExit(run.program, context.ms(5000), 'it printed its report');
          if (exit.code === code) continue;
          fail(`${FILE} ${FILE_ARGS(run).slice(0, 60)} ${describeExit(exit)} for ${what}`, {
            expected: `exit code ${code}`,
            actual: describeExit(exit),
            hint: exitCodeHint(run === mixedRun, code),
          });
        }
      },
    },
  ];
};
