/** Bad input from the person at the keyboard: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT = { pass: 0, fail: 1, usage: 2, graderError: 3, interrupted: 130 } as const;

/** A grading's exit code from its status. */
export const exitForStatus: Readonly<Record<'pass' | 'fail' | 'error', number>> = { pass: EXIT.pass, fail: EXIT.fail, error: EXIT.graderError };
