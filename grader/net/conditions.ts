import { afterReading, DeadlineError } from '../run/deadline.ts';

interface Waiter {
  readonly ready: () => boolean;
  readonly resolve: () => void;
}

/**
 * Waits, each with a deadline, for conditions on state that changes on events. The owner
 * calls recheck() after every event; until() resolves once its condition holds.
 */
export class Conditions {
  private readonly waiters = new Set<Waiter>();

  recheck(): void {
    for (const waiter of this.waiters) {
      if (waiter.ready()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  until(ready: () => boolean, ms: number, waitedFor: string): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { ready, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = afterReading(ms, () => {
        this.waiters.delete(waiter);
        reject(new DeadlineError(waitedFor, ms));
      });
      this.waiters.add(waiter);
    });
  }
}
