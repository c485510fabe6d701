// Every wait in the grader goes through here, so every wait has a deadline and names what it waited for.

/** Multiplies every grader deadline; set GRADER_TIME_SCALE=3 on a very slow machine. */
export const timeScale = parseTimeScale(process.env.GRADER_TIME_SCALE);

function parseTimeScale(raw: string | undefined): number {
  const value = raw === undefined || raw === '' ? 1 : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : 1;
}

/** A deadline in milliseconds, scaled for slow machines. */
export function scaled(ms: number): number {
  return Math.round(ms * timeScale);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** A wait that ran out. `waitedFor` reads after "waiting for": "server.ts to listen on 127.0.0.1:4000". */
export class DeadlineError extends Error {
  constructor(
    readonly waitedFor: string,
    readonly ms: number,
  ) {
    super(`gave up after ${formatDuration(ms)} waiting for ${waitedFor}`);
    this.name = 'DeadlineError';
  }
}

/**
 * Runs `then` once `ms` have passed and the I/O that arrived meanwhile has been read. After a
 * stall of the grader (a loaded machine), due timers run before the event loop reads what is
 * waiting: a check that slept and then looked would miss output that came in time, and a
 * deadline would beat a reply that was already there.
 */
export function afterReading(ms: number, then: () => void): NodeJS.Timeout {
  return setTimeout(() => setImmediate(then), ms);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => afterReading(ms, resolve));
}

/**
 * Resolves with `promise`'s value, or with undefined after `ms`, whichever comes first. The
 * timer is cleared either way: a pending one would keep the grader alive after grading.
 */
export function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = afterReading(ms, () => resolve(undefined));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves or rejects like `promise`, or rejects with a DeadlineError after `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, waitedFor: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = afterReading(ms, () => reject(new DeadlineError(waitedFor, ms)));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `probe` with exponential backoff until it returns a value other than undefined. */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  ms: number,
  waitedFor: string,
  { firstDelayMs = 10, maxDelayMs = 200 } = {},
): Promise<T> {
  const end = Date.now() + ms;
  let delay = firstDelayMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    const left = end - Date.now();
    if (left <= 0) throw new DeadlineError(waitedFor, ms);
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, maxDelayMs);
  }
}

/**
 * How long a conversation may show no progress at all before it counts as stuck, before
 * scaling: a correct program answers within milliseconds of the last byte it needed, even on a
 * loaded machine. The stall of the waits below, wherever a lesson has no reason for another.
 */
export const QUIET_MS = 2000;

/** A poll this late means the grader's own event loop was held up. */
const FROZEN_MS = 250;

/** How a wait on something that makes visible progress ended. */
export type ProgressWait = 'done' | 'stalled' | 'deadline';

/**
 * Polls `done` until it is true, the deadline passes, or `progress` (a count that grows while
 * the other side works, such as bytes received) has not changed for `stallMs`: a long deadline
 * for a slow program, without making a stuck one wait it out.
 */
export async function untilDoneOrStalled(
  done: () => boolean,
  progress: () => number,
  { deadlineMs, stallMs }: { readonly deadlineMs: number; readonly stallMs: number },
): Promise<ProgressWait> {
  const end = Date.now() + deadlineMs;
  let last = progress();
  let since = Date.now();
  let polled = since;
  for (;;) {
    if (done()) return 'done';
    const now = Date.now();
    if (now >= end) return 'deadline';
    // The grader itself did not run (a busy machine): bytes may wait unread in its sockets, so
    // that silence is not the other side's.
    if (now - polled > FROZEN_MS) since = now;
    polled = now;
    const seen = progress();
    if (seen !== last) [last, since] = [seen, now];
    else if (now - since >= stallMs) return 'stalled';
    await sleep(Math.min(20, end - now));
  }
}
