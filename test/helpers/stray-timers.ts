// Timers a grading left running. A pending timer keeps `npm run grade` alive after it printed
// its result (lesson 5 once sat 9 s on a forgotten 10 s sleep), so every grading in these tests
// is watched: each timer created on its behalf, with where it was created, until it fires or
// is cleared. The course's tests only; the grader itself is not changed by this.
import { AsyncLocalStorage } from 'node:async_hooks';

interface Tracked {
  readonly timer: NodeJS.Timeout;
  readonly createdAt: string;
  /** performance.now() when it fires; an interval fires until cleared. */
  readonly dueAt: number;
  readonly repeats: boolean;
}

/** A timer due this soon holds the process for no time a learner would notice. */
const NOTICEABLE_MS = 500;

const owner = new AsyncLocalStorage<Set<Tracked>>();
const byTimer = new WeakMap<NodeJS.Timeout, { readonly set: Set<Tracked>; readonly tracked: Tracked }>();

function where(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(3).map((frame) => frame.trim());
  const graders = frames.filter((frame) => frame.includes('/grader/'));
  return (graders.length ? graders.slice(0, 6) : frames.slice(0, 1)).join(' < ') || 'unknown';
}

let installed = false;

/** Wraps the global timer functions once; outside a tracked grading they behave as before. */
function install(): void {
  if (installed) return;
  installed = true;
  const { setTimeout: realSetTimeout, setInterval: realSetInterval, clearTimeout: realClearTimeout, clearInterval: realClearInterval } = globalThis;
  const forget = (timer: unknown) => {
    const entry = timer instanceof Object ? byTimer.get(timer as NodeJS.Timeout) : undefined;
    entry?.set.delete(entry.tracked);
  };
  const track = (timer: NodeJS.Timeout, ms: number | undefined, repeats: boolean) => {
    const set = owner.getStore();
    if (!set) return timer;
    const tracked = { timer, createdAt: where(), dueAt: performance.now() + (ms ?? 0), repeats };
    set.add(tracked);
    byTimer.set(timer, { set, tracked });
    return timer;
  };
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer: NodeJS.Timeout = realSetTimeout(() => {
      forget(timer);
      callback(...args);
    }, ms);
    return track(timer, ms, false);
  }) as typeof setTimeout;
  globalThis.setInterval = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => track(realSetInterval(callback, ms, ...args), ms, true)) as typeof setInterval;
  globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
    forget(timer);
    realClearTimeout(timer);
  }) as typeof clearTimeout;
  globalThis.clearInterval = ((timer: Parameters<typeof clearInterval>[0]) => {
    forget(timer);
    realClearInterval(timer);
  }) as typeof clearInterval;
}

/**
 * Runs `work`; `pending()` then names each timer it created that still holds the process open:
 * every interval not cleared, and every timeout due more than NOTICEABLE_MS from now.
 */
export async function withTimersWatched<T>(work: () => Promise<T>): Promise<{ readonly value: T; readonly pending: () => Promise<string[]> }> {
  install();
  const set = new Set<Tracked>();
  const value = await owner.run(set, work);
  const pending = async () => {
    // Sockets the cleanup destroyed announce their close a turn of the event loop later, and
    // that clears the waits on them.
    await new Promise((turn) => setImmediate(turn));
    await new Promise((turn) => setImmediate(turn));
    const soon = performance.now() + NOTICEABLE_MS;
    return [...set].filter(({ timer, dueAt, repeats }) => timer.hasRef() && (repeats || dueAt > soon)).map(({ createdAt }) => createdAt);
  };
  return { value, pending };
}
