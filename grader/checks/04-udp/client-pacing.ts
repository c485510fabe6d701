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
/** Copies of one try, sent together, arrive closer than this even on a loaded machine. */
const BURST_GAP_MS = 10;
/** Gaps between tries of one message the judgement waits for. */
export const GAPS_JUDGED = 10;

export interface RetryGaps {
  readonly gaps: number;
  readonly meanMs: number;
  /** The middle gap: near 0 when most tries go out together, in bursts. */
  readonly medianMs: number;
  /** The longest gap: the timer's, between two bursts. */
  readonly maxMs: number;
  readonly message: string;
}

/** The mean time between consecutive tries, over the message tried most often. */
export function retryGaps(sends: readonly ClientSend[]): RetryGaps | undefined {
  const byText = new Map<string, ClientSend[]>();
  for (const send of sends) byText.set(send.text, [...(byText.get(send.text) ?? []), send]);
  const [message, tries] = [...byText.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
  if (tries.length < 2) return undefined;
  const used = tries.slice(0, GAPS_JUDGED + 1);
  const gaps = used.slice(1).map((send, i) => send.at - used[i]!.at).sort((a, b) => a - b);
  return { gaps: gaps.length, meanMs: (used.at(-1)!.at - used[0]!.at) / gaps.length, medianMs: gaps[Math.floor(gaps.length / 2)]!, maxMs: gaps.at(-1)!, message };
}

export const enoughGaps = (sends: readonly ClientSend[]) => (retryGaps(sends)?.gaps ?? 0) >= GAPS_JUDGED;

/**
 * Most gaps are a small fraction of the longest: copies sent together, then the timer's pause.
 * On a loaded machine the copies of one burst arrive a few milliseconds apart, never near the
 * timer's gap; a timer that is merely short gives gaps of one size.
 */
function inBursts({ medianMs, maxMs }: RetryGaps): boolean {
  return medianMs < Math.min(BURST_GAP_MS, maxMs / 4);
}

/** Fails when the tries of one message came on average faster than 100 ms or slower than 1 s apart. */
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
