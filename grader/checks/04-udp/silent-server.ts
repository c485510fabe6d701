// Lesson 4's client scenario where nothing answers: one run of client.ts against a grader
// socket that never replies. Its first tries measure the retry timer; its end is the give-up.
import { escapeBytes } from '../../net/escape.ts';
import { formatDuration } from '../../run/deadline.ts';
import { describeExit, type RunningProgram } from '../../run/program.ts';
import { fail } from '../check.ts';
import { need, scenario } from '../lesson.ts';
import { crashReport, outputLines } from '../shared/exit.ts';
import { hostPort } from '../shared/listening.ts';
import { expectRetryWindow, readyToJudge, GAPS_JUDGED, MAX_RETRY_MS, MIN_RETRY_MS } from './client-pacing.ts';
import { FILE, failUnlessExited, MAX_TRIES, show, threadedServer, timing, watchPeer } from './client-run.ts';
import { sendCounts, type ClientSend, type WatchedRun } from './client-watch.ts';
import { diagnoses } from './diagnoses.ts';

/** Beyond the last try's timeout, for a loaded machine to run the client's timer and its exit. */
const GIVE_UP_MARGIN_MS = 2000;

interface SilentServer {
  /** Set by "client-retry-window": the client's run, still going on to its give-up. */
  watched?: { readonly program: RunningProgram; readonly run: WatchedRun; readonly where: string; readonly n: number };
}

export const silentServer = scenario('the client when nothing answers', (): SilentServer => ({}), [
  {
    id: 'client-retry-window',
    title: `when nothing answers, sends each try ${formatDuration(MIN_RETRY_MS)} to ${formatDuration(MAX_RETRY_MS)} after the previous one (judged over ${GAPS_JUDGED} retransmissions)`,
    hint: 'Retransmit from a timer of 100 ms to 1 s that you restart after every try: the next try goes out one timeout after the previous one.',
    async run(context, session) {
      const n = 2;
      const server = await threadedServer(context, 'silent-server', 'keep');
      const program = context.start(FILE, { port: server.port, args: [String(n)] });
      let reached!: () => void;
      const enough = new Promise<void>((resolve) => (reached = resolve));
      const rule = (sends: readonly ClientSend[]) => {
        if (readyToJudge(sends)) reached();
        const last = sends.at(-1)!.text;
        const tries = sends.filter((send) => send.text === last).length;
        return tries > MAX_TRIES ? `${FILE} sent ${show(last)} ${tries} times although at most ${MAX_TRIES} tries are allowed` : undefined;
      };
      // After its last try a client waits one timeout (at most 1 s) and exits: a hang is told sooner.
      const afterLastTry = (sends: readonly ClientSend[]) => (sendCounts(sends).get(sends.at(-1)!.text)! >= MAX_TRIES ? context.ms(MAX_RETRY_MS + GIVE_UP_MARGIN_MS) : undefined);
      // The same run goes on to client-gives-up: the tries measured here are its first ones.
      const run = watchPeer(server, program, { ...timing(context, MAX_TRIES * MAX_RETRY_MS + 10_000), stallMsAfter: afterLastTry }, rule);
      session.watched = { program, run, where: hostPort(context.host, server.port), n };
      await Promise.race([enough, run.ending]);
      expectRetryWindow(FILE, run.sends, show);
    },
  },
  {
    id: 'client-gives-up',
    title: `when nothing answers, gives up after its ${MAX_TRIES}th try: one line on stderr, exit code 1`,
    hint: `Count the tries of the current message. When the ${MAX_TRIES}th has gone unanswered for one timeout, print one line with console.error, set process.exitCode = 1 and close the socket.`,
    async run(context, session) {
      const { program, run, where, n } = need(session.watched, 'the run started by "client-retry-window"');
      const ending = await run.ending;
      // Its tries at the pace it chose, up to its give-up: what no grader can shorten.
      if (run.sends[0]) context.waitedOnProgram(performance.now() - run.sends[0].at);
      const counts = [...sendCounts(run.sends).entries()].map(([text, count]) => `${show(text)} ${count}×`).join(', ') || 'nothing';
      if (ending.kind === 'broke-rule') {
        fail(ending.complaint, {
          expected: `at most ${MAX_TRIES} tries, then one line on stderr and exit code 1`,
          actual: `still sending after ${MAX_TRIES} tries`,
          diagnosis: diagnoses['never-gives-up'],
        });
      }
      if (ending.kind === 'stalled') {
        fail(`${FILE} stopped sending (it sent ${counts}) but did not exit`, {
          expected: 'one line on stderr and exit code 1',
          actual: `still running, silent for ${formatDuration(ending.silentMs)}`,
          diagnosis: diagnoses['hangs-after-giving-up'],
        });
      }
      if (ending.kind === 'deadline') {
        fail(`${FILE} was still running ${formatDuration(ending.waitedMs)} after it started (it sent ${counts})`, {
          expected: `at most ${MAX_TRIES} tries, at most ${formatDuration(MAX_RETRY_MS)} apart, then exit code 1`,
          actual: 'still running',
        });
      }
      const crash = crashReport(program.stderr.text);
      if (ending.kind === 'exited' && crash) {
        fail(`${FILE} crashed instead of giving up cleanly: ${crash.trim()}`, {
          expected: 'one line on stderr, exit code 1',
          actual: `${describeExit(ending.exit)}, a stack trace on stderr`,
          diagnosis: diagnoses['throws-to-give-up'],
        });
      }
      failUnlessExited(run, ending, program, n, where);
      if (ending.kind !== 'exited') return;
      const tries = sendCounts(run.sends).get('msg 1') ?? 0;
      if (tries < MAX_TRIES) {
        fail(`${FILE} gave up on "msg 1" after ${tries} tries (${describeExit(ending.exit)})`, {
          expected: `${MAX_TRIES} tries, the last one unanswered for one timeout, then one line on stderr and exit code 1`,
          actual: `${tries} tries`,
          diagnosis: diagnoses['gives-up-too-soon'],
        });
      }
      const stderr = program.stderr.text.trim();
      const lines = stderr.split('\n').filter((line) => line.trim());
      if (ending.exit.code === 0) {
        fail(`${FILE} exited with code 0 although "msg 1" was never answered (it sent ${counts})`, {
          expected: 'exit code 1',
          actual: 'exit code 0',
          diagnosis: diagnoses['gives-up-with-exit-zero'],
        });
      }
      if (ending.exit.code !== 1 || lines.length !== 1) {
        fail(`${FILE} gave up with exit code ${ending.exit.code ?? ending.exit.signal} and ${lines.length} lines on stderr`, {
          expected: 'exactly one line on stderr and exit code 1',
          actual: stderr ? escapeBytes(Buffer.from(stderr), 200) : '(nothing on stderr)',
          diagnosis: diagnoses['gives-up-without-one-line'],
        });
      }
      if (outputLines(program.stdout.text).some((line) => line.trim())) {
        fail(`${FILE} printed ${escapeBytes(Buffer.from(program.stdout.text.trim()), 80)} although no echo ever came`, {
          expected: 'nothing on stdout',
          actual: escapeBytes(Buffer.from(program.stdout.text.trim()), 80),
        });
      }
    },
  },
]);
