// Lesson 4, the UDP client's retry timer, measured where nothing answers: every try of a
// message is a retransmission after one timeout, so the time between tries is the timeout.
// The mean over several tries is judged: a late read by the grader shortens one gap only by
// lengthening the one before it, so only the first and last reads move the mean.
import { formatDuration } from '../../run/deadline.ts';
import { fail, withFact } from '../check.ts';
import { diagnoses } from './diagnoses.ts';
import type { ClientSend } from './client-watch.ts';

/** The contract: a retry 100 ms to 1 s after the previous try. */
export const MIN_RETRY_MS = 100;
export const MAX_RETRY_MS = 1000;
/** Margins for timers that fire a little early, a grader that reads late, and a loaded machine. */
const TOO_SHORT_MS = 85;
const TOO_LONG_MS = 1150;
/**
 * Below this mean there is no timer at all: a loop, or setInterval(…, 1), which a loaded machine
 * stretches to 2–4 ms. Half the shortest timer a learner writes (10 ms): a grader that reads the
 * first try late shrinks the mean only by that lateness over the ten gaps.
 */
const NO_WAIT_MS = 5;
/**
 * More gaps than this past TOO_LONG_MS break the 1 s cap, whatever the mean: a backoff capped
 * above 1 s, or randomness added on top of the cap. Fewer are the load: a timer only fires late.
 */
const OVER_LONG_ALLOWED = 2;
/** Copies of one try, sent together, arrive closer than this even on a loaded machine. */
const BURST_GAP_MS = 10;
/** Gaps between tries of one message the judgement waits for. */
export const GAPS_JUDGED = 10;

export interface RetryGaps {
  readonly gaps: number;
  readonly meanMs: number;
  /** Gaps longer than TOO_LONG_MS, each a wait past the 1 s cap. */
  readonly overLong: number;
  /** Gaps under BURST_GAP_MS: a copy sent with the try before it. */
  readonly together: number;
  readonly message: string;
}

/** The mean time between consecutive tries, over the message tried most often. */
export function retryGaps(sends: readonly ClientSend[]): RetryGaps | undefined {
  const byText = new Map<string, ClientSend[]>();
  for (const send of sends) byText.set(send.text, [...(byText.get(send.text) ?? []), send]);
  const [message, tries] = [...byText.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
  if (tries.length < 2) return undefined;
  const used = tries.slice(0, GAPS_JUDGED + 1);
  const gaps = used.slice(1).map((send, i) => send.at - used[i]!.at);
  return {
    gaps: gaps.length,
    meanMs: (used.at(-1)!.at - used[0]!.at) / gaps.length,
    overLong: gaps.filter((gap) => gap > TOO_LONG_MS).length,
    together: gaps.filter((gap) => gap < BURST_GAP_MS).length,
    message,
  };
}

/**
 * The tries can be judged: GAPS_JUDGED gaps, or fewer once more than OVER_LONG_ALLOWED of them
 * passed the cap, which fails whatever comes next (a mean over it, or too many waits over it): a
 * learner with a 2 s timer hears so after three of them, not ten.
 */
export function readyToJudge(sends: readonly ClientSend[]): boolean {
  const measured = retryGaps(sends);
  return measured !== undefined && (measured.gaps >= GAPS_JUDGED || measured.overLong > OVER_LONG_ALLOWED);
}

/**
 * Copies sent together: two gaps in five or more under BURST_GAP_MS. Bursts of 2 make half the
 * gaps 0, bursts of 3 two thirds, and a client starved of CPU in the middle of a burst splits only
 * that one. A timer's tries are never closer than its timeout, and they are stamped on a thread
 * that does nothing else (net/threaded-udp-socket.ts), so they are not read together.
 */
function inBursts({ together, gaps }: RetryGaps): boolean {
  return together * 5 >= gaps * 2;
}

/** Fails when the tries of one message came on average faster than 100 ms or slower than 1 s apart, or several waits passed 1 s. */
export function expectRetryWindow(file: string, sends: readonly ClientSend[], show: (text: string) => string): void {
  const measured = retryGaps(sends);
  if (!measured || measured.gaps < 2) return;
  const { gaps, meanMs, message } = measured;
  const summary = `${file} sent ${show(message)} ${gaps + 1} times, on average every ${formatDuration(Math.round(meanMs))}, while nothing answered`;
  const expected = `each try ${formatDuration(MIN_RETRY_MS)} to ${formatDuration(MAX_RETRY_MS)} after the previous one`;
  const actual = `${gaps} retransmissions in ${formatDuration(Math.round(meanMs * gaps))}`;
  if (meanMs < NO_WAIT_MS) {
    fail(summary, {
      expected,
      actual,
      diagnosis: diagnoses['retransmits-without-waiting'],
    });
  }
  if (meanMs < TOO_SHORT_MS && inBursts(measured)) {
    fail(summary, {
      expected,
      actual,
      diagnosis: diagnoses['sends-bursts'],
    });
  }
  if (meanMs < TOO_SHORT_MS) {
    fail(summary, {
      expected,
      actual,
      diagnosis: withFact(diagnoses['retry-timer-too-short'], `About ${Math.round(meanMs)} ms between tries here.`),
    });
  }
  if (measured.overLong > OVER_LONG_ALLOWED && meanMs <= TOO_LONG_MS) {
    fail(summary, {
      expected,
      actual: `${measured.overLong} of the ${gaps} waits over ${formatDuration(TOO_LONG_MS)}`,
      diagnosis: diagnoses['backoff-past-1s'],
    });
  }
  if (meanMs > TOO_LONG_MS) {
    fail(summary, {
      expected,
      actual,
      diagnosis: withFact(diagnoses['retry-timer-too-long'], `About ${formatDuration(Math.round(meanMs))} between tries here.`),
    });
  }
}

/** Tries of one message that came less than `belowMs` after the previous try of it. */
export function shortGaps(sends: readonly ClientSend[], belowMs: number): number {
  const last = new Map<string, number>();
  let short = 0;
  for (const { text, at } of sends) {
    const before = last.get(text);
    if (before !== undefined && at - before < belowMs) short++;
    last.set(text, at);
  }
  return short;
}

/**
 * Tries under half the minimum timeout. A correct client makes none: its tries are stamped on a
 * thread of their own (a late stamp shortens the next gap by the thread's wake-up, milliseconds),
 * so two are the load's, more are a sender that does not wait.
 */
export const SHORT_GAP_MS = MIN_RETRY_MS / 2;
export const SHORT_GAPS_ALLOWED = 2;
