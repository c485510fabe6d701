// The learner's answers, one line each from stdin. A wait for a line ends with the line, with
// "closed" when stdin has ended, or with a DeadlineError: it never hangs.
import readline from 'node:readline';
import { DeadlineError } from '../run/deadline.ts';

export type Answer = { readonly line: string } | { readonly closed: true };

export class AnswerReader {
  private readonly lines: string[] = [];
  private closed = false;
  private waiting: (() => void) | undefined;
  private readonly rl: readline.Interface;

  constructor(input: NodeJS.ReadableStream) {
    // terminal: false leaves Ctrl-C to the terminal, which sends SIGINT as usual.
    this.rl = readline.createInterface({ input, terminal: false });
    this.rl.on('line', (line) => {
      this.lines.push(line);
      this.waiting?.();
    });
    this.rl.on('close', () => {
      this.closed = true;
      this.waiting?.();
    });
  }

  /** The next line; `onTick` runs about every `tickMs` while waiting (to watch the kernel). */
  async next(ms: number, waitedFor: string, onTick: () => void, tickMs = 500): Promise<Answer> {
    const end = Date.now() + ms;
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return { line: line.trim() };
      if (this.closed) return { closed: true };
      const left = end - Date.now();
      if (left <= 0) throw new DeadlineError(waitedFor, ms);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiting = undefined;
          resolve();
        }, Math.min(tickMs, left));
        this.waiting = () => {
          clearTimeout(timer);
          this.waiting = undefined;
          resolve();
        };
      });
      onTick();
    }
  }

  close(): void {
    this.rl.close();
  }
}
