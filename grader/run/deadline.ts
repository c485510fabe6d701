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

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves or rejects like `promise`, or rejects with a DeadlineError after `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, waitedFor: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(waitedFor, ms)), ms);
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
