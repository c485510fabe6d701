// One question of `npm run observe`: what it asks, the command that shows the answer, and how
// the kernel's view right now (from /proc) judges an answer.

/** What the kernel shows about one question at one moment. */
export interface KernelView {
  /** The rows or facts, as the learner would have seen them. */
  readonly shows: readonly string[];
  /** Whether `answer` (one trimmed line) is what the kernel shows. */
  accepts(answer: string): boolean;
}

export interface Question {
  readonly id: string;
  /** Sets up what this question is about, if it cannot wait from the start (a TIME-WAIT ends). */
  prepare?(): Promise<void>;
  /** The question, the tools to use and a filter that narrows them; read after prepare(). */
  prompt(): readonly string[];
  /** A command that shows the answer, printed with the verdict. */
  readonly command: string;
  /** The kernel's view now; undefined when the kernel no longer shows the socket asked about. */
  view(): KernelView | undefined;
}

/** "41053", " 41,053 " → 41053; anything else → undefined. */
export function wholeNumber(answer: string): number | undefined {
  const digits = answer.replace(/[,_\s]/g, '');
  return /^\d{1,12}$/.test(digits) ? Number(digits) : undefined;
}
