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
  /** How many tries came together, group after group: groups end at a gap of BURST_GAP_MS or more. */
  readonly groups: readonly number[];
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
  const groups = [1];
  for (const gap of gaps) {
    if (gap < BURST_GAP_MS) groups[groups.length - 1]!++;
    else groups.push(1);
  }
  return { gaps: gaps.length, meanMs: (used.at(-1)!.at - used[0]!.at) / gaps.length, overLong: gaps.filter((gap) => gap > TOO_LONG_MS).length, groups, message };
}

export const enoughGaps = (sends: readonly ClientSend[]) => (retryGaps(sends)?.gaps ?? 0) >= GAPS_JUDGED;

/**
 * Copies sent together come in groups of one size k, again and again (two bursts read at once
 * make a group of 2k; the last group may be cut off by the judgement). A grader that reads a
 * backlog late also sees tries together, but as many as its lateness held back, so the sizes vary:
 * a short timer, not bursts.
 */
function inBursts({ groups }: RetryGaps): boolean {
  const whole = groups.slice(0, -1);
  const counts = new Map<number, number>();
  for (const size of whole) counts.set(size, (counts.get(size) ?? 0) + 1);
  const [copies] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [1];
  const ofBursts = whole.filter((size) => size % copies === 0).length;
  return whole.length >= 2 && copies >= 2 && ofBursts * 3 >= whole.length * 2;
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

/** Tries under half the minimum timeout: a grader that reads a backlog late makes a few, never many. */
export const SHORT_GAP_MS = MIN_RETRY_MS / 2;
export const SHORT_GAPS_ALLOWED = 4;
