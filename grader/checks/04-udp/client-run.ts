// Lesson 4's client runs: the grader plays the echo server (faithful, lossy or silent), starts
// client.ts against it and watches every datagram it sends; and the judgements every run shares.
import { escapeBytes } from '../../net/escape.ts';
import { ThreadedUdpSocket, type Action, type Answer } from '../../net/threaded-udp-socket.ts';
import { describeDatagram, udpAddress, UdpPeer, type Datagram } from '../../net/udp-peer.ts';
import { formatDuration } from '../../run/deadline.ts';
import { describeExit, type RunningProgram } from '../../run/program.ts';
import { fail, type CheckContext, type Diagnosis } from '../check.ts';
import { crashReport, outputLines } from '../shared/exit.ts';
import { firstUnprinted, judgeOutput } from './client-output.ts';
import { MAX_RETRY_MS } from './client-pacing.ts';
import { watchClient, type ClientSend, type Ending, type WatchedRun, type WatchOptions } from './client-watch.ts';
import { diagnoses } from './diagnoses.ts';

export const FILE = 'client.ts';
/** The contract: at most 20 tries per message, a retransmission at the latest 1 s after the last try. */
export const MAX_TRIES = 20;
/** The count a client sends when run without an argument. */
export const DEFAULT_COUNT = 5;

export const show = (text: string) => escapeBytes(Buffer.from(text, 'latin1'));

export type Timing = Pick<WatchOptions, 'firstSendMs' | 'stallMs' | 'stallMsAfter' | 'deadlineMs'>;

export function timing(context: CheckContext, deadlineMs: number): Timing {
  return {
    // tsx compiles the program first: on a loaded machine that alone can take seconds.
    firstSendMs: context.ms(10_000),
    // A client that still waits for an echo sends at least once a second; 5 s more is the margin.
    stallMs: context.ms(MAX_RETRY_MS + 5000),
    deadlineMs: context.ms(deadlineMs),
  };
}

/** A grader socket on HOST:port playing the server, registered for cleanup. */
export async function graderServer(context: CheckContext, name: string, options: { quiet?: boolean } = {}): Promise<UdpPeer> {
  const port = await context.freePort('udp');
  const peer = await UdpPeer.open(context.host, name, context.transcript, { port, log: !options.quiet });
  context.onCleanup(() => peer.close());
  return peer;
}

export interface ThreadedServer {
  readonly port: number;
  onDatagram(handler: (datagram: Datagram, action: Action) => void): void;
}

/**
 * A grader socket on a thread of its own that answers as `answer` says (never, echoing, or
 * dropping each first copy): each try is timed when it arrived, and no stall of the grader's main
 * thread delays an answer (a 20 ms timer gives up 400 ms after its first try).
 */
export async function threadedServer(context: CheckContext, name: string, answer: Answer): Promise<ThreadedServer> {
  const socket = await ThreadedUdpSocket.open(context.host, await context.freePort('udp'), answer);
  context.onCleanup(() => socket.close());
  socket.onError((message) => context.transcript.note(name, `socket error ${message}`));
  const handlers: Array<(datagram: Datagram, action: Action) => void> = [];
  socket.onMessage(({ data, from, at, action, lateDuplicate }) => {
    const where = udpAddress(from.address, from.port);
    context.transcript.note(name, `received ${describeDatagram(data)} from ${where}`);
    if (action === 'echoed') context.transcript.note(name, `sent ${describeDatagram(data)} to ${where}`);
    if (action.startsWith('dropped')) context.transcript.note(name, `drops this first copy of ${show(data.toString('latin1'))}, as a lossy network would`);
    if (lateDuplicate) context.transcript.note(name, `sends a late duplicate of the echo ${show(lateDuplicate.toString('latin1'))} instead`);
    for (const handler of handlers) handler({ data, ...from, at }, action);
  });
  return { port: socket.port, onDatagram: (handler) => void handlers.push(handler) };
}

export function watchPeer(peer: Pick<ThreadedServer, 'onDatagram'> | Pick<UdpPeer, 'onDatagram'>, program: RunningProgram, time: Timing, rule?: (sends: readonly ClientSend[]) => string | undefined): WatchedRun {
  return watchClient({
    program,
    ...time,
    rule,
    onSend: (listener) => peer.onDatagram((datagram) => listener({ text: datagram.data.toString('latin1'), at: datagram.at })),
  });
}

/** A retry timer that outlived its message (or the socket) throws from a timer; anything else gets the check's hint. */
function crashDiagnosis(stderr: string): Diagnosis | undefined {
  return /at listOnTimeout|at Timeout\._onTimeout/.test(stderr) ? diagnoses['timer-outlives-message'] : undefined;
}

/** Fails for an ending other than an exit, naming what the client was doing. */
export function failUnlessExited(run: WatchedRun, ending: Ending, program: RunningProgram, n: number, where: string, lost = ''): void {
  switch (ending.kind) {
    case 'exited': {
      const crash = crashReport(program.stderr.text);
      if (crash) {
        fail(`${FILE} ${describeExit(ending.exit)} after an uncaught error: ${crash.trim()}`, {
          expected: 'no uncaught error',
          actual: `a stack trace on stderr, ${describeExit(ending.exit)}`,
          diagnosis: crashDiagnosis(program.stderr.text),
        });
      }
      if (run.sends.length === 0) {
        fail(`${FILE} ${describeExit(ending.exit)} without sending anything to ${where}`, {
          expected: `"msg 1" as a datagram to ${where}`,
          actual: 'no datagram',
        });
      }
      return;
    }
    case 'broke-rule':
      fail(ending.complaint, { diagnosis: diagnoses['retransmits-without-waiting'] });
    case 'never-sent':
      fail(`${FILE} sent nothing to ${where} in ${formatDuration(ending.waitedMs)}`, {
        expected: `"msg 1" as a datagram to ${where}`,
        actual: 'no datagram',
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
          diagnosis: diagnoses['never-closes-socket'],
        });
      }
      if (ending.kind === 'deadline') {
        const printed = outputLines(program.stdout.text).filter((line) => line.trim()).length;
        fail(`${FILE} had not finished after ${formatDuration(ending.waitedMs)}: it printed ${printed} of ${n} lines and still waited for ${JSON.stringify(waiting)}`, {
          expected: `all ${n} echoes printed and exit code 0 within ${formatDuration(ending.waitedMs)}`,
          actual: `${run.sends.length} datagrams sent, still running`,
        });
      }
      fail(`${JSON.stringify(waiting)} was never answered: ${FILE} sent ${show(last)} ${tries === 1 ? 'once' : `${tries} times`}${lost}, then ${lasted}`, {
        expected: `${JSON.stringify(waiting)} sent again at most ${formatDuration(MAX_RETRY_MS)} after each unanswered try`,
        actual: `no datagram for ${formatDuration(ending.silentMs)}`,
        diagnosis: diagnoses['never-retransmits'],
      });
    }
  }
}

/** Fails unless the client sent only "msg 1" … "msg n", each as one datagram. */
export function expectOnlyMessages(sends: readonly ClientSend[], n: number): void {
  const valid = new Set(Array.from({ length: n }, (_, i) => `msg ${i + 1}`));
  const strange = sends.find((send) => !valid.has(send.text));
  if (!strange) return;
  fail(`${FILE} sent the datagram ${show(strange.text)}`, {
    expected: `datagrams holding exactly "msg 1" … "msg ${n}"`,
    actual: show(strange.text),
    diagnosis: valid.has(strange.text.trim()) ? diagnoses['sends-line-ending'] : undefined,
  });
}

/** Run without an argument, the client must send "msg 1" … "msg 5" (with or without spaces around). */
export function expectDefaultCount(sends: readonly ClientSend[], ending: Ending, program: RunningProgram): void {
  if (ending.kind !== 'exited' || crashReport(program.stderr.text)) return;
  const highest = Math.max(0, ...sends.map((send) => Number(/^msg (\d+)$/.exec(send.text.trim())?.[1] ?? 0)));
  if (highest >= DEFAULT_COUNT) return;
  const did = highest === 0 ? 'sent nothing' : `sent only "msg 1" … "msg ${highest}"`;
  const stderr = program.stderr.text.trim();
  fail(`run without an argument, ${FILE} ${did} and ${describeExit(ending.exit)}`, {
    expected: `"msg 1" … "msg ${DEFAULT_COUNT}": without an argument the count is ${DEFAULT_COUNT}`,
    actual: `${did}; stderr: ${stderr ? escapeBytes(Buffer.from(stderr), 120) : '(nothing)'}`,
    diagnosis: diagnoses['no-default-count'],
  });
}

/** On a wrong output, `explain(message)` may add the story of that message to the transcript first. */
/** `otherwise`: the mistake to name when the output itself points at none. */
export function expectPrinted(program: RunningProgram, n: number, explain?: (message: string) => void, otherwise?: Diagnosis): void {
  const problem = judgeOutput(program.stdout.text, n, FILE);
  if (!problem) return;
  if (problem.about) explain?.(problem.about);
  fail(problem.summary, { ...problem, diagnosis: problem.diagnosis ?? otherwise });
}
