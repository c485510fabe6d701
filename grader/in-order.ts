// Scenarios run at the same time, but a learner reads their checks in course order: results
// are held back until every check before them is reported, and only the first check not yet
// reported is shown as running.

export interface InOrderEvents<C, R> {
  readonly onStart?: (check: C, index: number) => void;
  readonly onDone?: (result: R, index: number) => void;
}

export interface InOrder<C, R> {
  started(index: number, check: C): void;
  done(index: number, result: R): void;
}

export function inCourseOrder<C, R>(events: InOrderEvents<C, R>): InOrder<C, R> {
  const running = new Map<number, C>();
  const finished = new Map<number, R>();
  let next = 0;
  function flush(): void {
    for (let result = finished.get(next); result !== undefined; result = finished.get(next)) {
      finished.delete(next);
      running.delete(next);
      events.onDone?.(result, next);
      next += 1;
      const head = running.get(next);
      if (head !== undefined && !finished.has(next)) events.onStart?.(head, next);
    }
  }
  return {
    started(index, check) {
      running.set(index, check);
      if (index === next) events.onStart?.(check, index);
    },
    done(index, result) {
      finished.set(index, result);
      flush();
    },
  };
}
