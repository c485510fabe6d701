// Lesson 6: when the program gave up on a port, and how long it held a connection, judged from
// when its lines came and from what the kernel's socket table showed of its sockets.
import { formatDuration } from '../../run/deadline.ts';
import { fail, type CheckContext } from '../check.ts';
import { CONNECT_GIVEN_UP_MS, CONNECT_TIMEOUT_MS, HOLD_MS, TIMEOUT_SLACK_MS, TIMEOUT_SOONEST_MS } from './contract.ts';
import type { Diagnosis } from '../check.ts';
import { diagnoses } from './diagnoses.ts';
import { FILE, type Run } from './run.ts';
import type { Sighting, SocketWatch } from './socket-watch.ts';

/** Fails unless the "timeout" line came about 2 s after the connect began: not sooner, not much later. */
export function expectTimeoutWindow(context: CheckContext, run: Run, port: number, attempt: Sighting | undefined): void {
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
      diagnosis: diagnoses['short-timeout'],
    });
  }
  // Later: measured from a moment after the connect began (or, unseen, from the start, with room for node to start).
  const latest = CONNECT_TIMEOUT_MS + context.ms(seen ? TIMEOUT_SLACK_MS : 2 * TIMEOUT_SLACK_MS);
  const took = lineAt - (attempt?.firstSeenAt ?? run.program.startedAt);
  if (took > latest) {
    fail(`${FILE} reported "${port} timeout" only ${formatDuration(took)} ${since}: the contract gives a port ${formatDuration(CONNECT_TIMEOUT_MS)}`, {
      expected: `"${port} timeout", ${window} (${formatDuration(latest)} at the latest)`,
      actual: `"${port} timeout" ${formatDuration(took)} ${since}`,
      diagnosis: diagnoses['late-timeout'],
    });
  }
}

/** Fails if the kernel showed the program's connect to the unanswered port still trying after CONNECT_GIVEN_UP_MS: its own timer is late, whatever the grader's pipes and timers did. */
export function expectConnectGivenUp(port: number, watch: SocketWatch): void {
  const proven = watch.longestProvenMs();
  if (proven <= CONNECT_GIVEN_UP_MS) return;
  fail(`${FILE} kept trying to connect to the port that never answers for ${formatDuration(proven)} at least, per the kernel's socket table: the contract gives a port ${formatDuration(CONNECT_TIMEOUT_MS)}`, {
    expected: `its connect to port ${port} given up (the socket destroyed) about ${formatDuration(CONNECT_TIMEOUT_MS)} after it began, ${formatDuration(CONNECT_GIVEN_UP_MS)} at the latest`,
    actual: `its socket was in SYN-SENT for at least ${formatDuration(proven)}`,
    diagnosis: diagnoses['late-timeout'],
  });
}

/** Fails if the kernel showed the program still holding its connection to an open port for longer than HOLD_MS (after the watch's last look). */
export function expectClosedPromptly(port: number, watch: SocketWatch, diagnosis: Diagnosis = diagnoses['holds-open-connection']): void {
  const proven = watch.longestProvenMs();
  if (proven <= HOLD_MS) return;
  fail(`${FILE} kept its connection to the open port ${port} open (established or half-closed) for ${formatDuration(proven)} at least, per the kernel's socket table`, {
    expected: `the connection closed as soon as "connect" fired (within ${formatDuration(HOLD_MS)})`,
    actual: `held open for at least ${formatDuration(proven)}`,
    diagnosis,
  });
}
