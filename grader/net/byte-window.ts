// Bounded memory for what the grader receives. A learner's program may send gigabytes (a
// loop that never stops writing, an echo that echoes itself); the grader keeps at most a
// fixed window of it, counts and hashes all of it, and says so plainly when a check asks
// for bytes it did not keep, instead of handing it a silently shortened buffer.
import { createHash, type Hash } from 'node:crypto';
import { CheckFailure, defineDiagnoses } from '../checks/check.ts';

export const MiB = 1024 * 1024;

/** What one TCP connection keeps by default: twice lesson 1's 16 MiB echo, so a wrong echo still shows. */
export const PEER_HEAD_BYTES = 32 * MiB;
/**
 * What one grading run keeps across all its connections and frame readers: lesson 5 opens
 * 200 connections, and 200 windows of 32 MiB would be 6.4 GB. The checks need at most
 * about 60 MiB at once (lesson 5: a 48 MiB flood reply and a 6 MiB line).
 */
export const RUN_BUDGET_BYTES = 256 * MiB;

export function formatBytes(n: number): string {
  if (n >= 1024 * MiB) return `${(n / (1024 * MiB)).toFixed(1)} GiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(n % MiB === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  return `${n} byte${n === 1 ? '' : 's'}`;
}

const { 'sends-far-too-much': tooMuch } = defineDiagnoses({
  'sends-far-too-much':
    'Your program sent far more than this check asks for. Look for a loop that keeps writing, data written back more than once, or a length that is not the one you send.',
});

/**
 * A check asked for received bytes the grader did not keep. It is the learner's program
 * that sent them, so it is reported as a failed check, never as silently shortened data.
 */
export class WindowExceededError extends CheckFailure {
  constructor(summary: string, expected: string, actual: string) {
    super({ summary, expected, actual, diagnosis: tooMuch });
    this.name = 'WindowExceededError';
  }
}

/** An allowance of bytes shared by everything one grading run keeps. */
export class RetentionBudget {
  used = 0;

  constructor(readonly limit: number = RUN_BUDGET_BYTES) {}

  /** Takes `n` bytes of the allowance; false (and nothing taken) when they are not there. */
  take(n: number): boolean {
    if (this.used + n > this.limit) return false;
    this.used += n;
    return true;
  }

  release(n: number): void {
    this.used = Math.max(0, this.used - n);
  }
}

// One budget per grading run. Everything of a run that receives bytes is handed the run's
// transcript, so the transcript (any object of the run) is the key.
const budgets = new WeakMap<object, RetentionBudget>();

export function runBudget(run: object): RetentionBudget {
  let budget = budgets.get(run);
  if (!budget) budgets.set(run, (budget = new RetentionBudget()));
  return budget;
}

const EMPTY = Buffer.alloc(0);
const MIN_CAPACITY = 4096;

/**
 * Bytes appended to a buffer that doubles as it fills, up to `cap` (and what the budget
 * allows): each byte is copied once, plus the amortised copies of growing. `copied` counts
 * every byte copied, so a test can prove the work is linear without timing anything.
 */
export class GrowableBytes {
  private buffer: Buffer = EMPTY;
  length = 0;
  /** Bytes copied so far, growth included. */
  copied = 0;

  constructor(
    public cap: number,
    private readonly budget?: RetentionBudget,
  ) {}

  /** Bytes allocated: what this object holds in memory. */
  get capacity(): number {
    return this.buffer.length;
  }

  /** Appends what fits of bytes[start, end) under the cap and the budget; returns how many bytes it took. */
  append(bytes: Uint8Array, start = 0, end = bytes.length): number {
    const n = end - start;
    if (n <= 0) return 0;
    if (this.length + n > this.buffer.length) this.grow(this.length + n);
    const fits = Math.min(n, this.buffer.length - this.length);
    if (fits <= 0) return 0;
    this.buffer.set(bytes.subarray(start, start + fits), this.length);
    this.length += fits;
    this.copied += fits;
    return fits;
  }

  private grow(needed: number): void {
    const current = this.buffer.length;
    const limit = Math.max(current, this.cap);
    if (current >= limit) return;
    // Doubling keeps appends linear; the exact need is the fallback when the budget is short.
    const wanted = Math.min(limit, Math.max(needed, current * 2, MIN_CAPACITY));
    const exact = Math.min(limit, needed);
    for (const size of wanted === exact ? [wanted] : [wanted, exact]) {
      if (this.budget && !this.budget.take(size - current)) continue;
      const next = Buffer.allocUnsafeSlow(size);
      this.buffer.copy(next, 0, 0, this.length);
      this.copied += this.length;
      this.buffer = next;
      return;
    }
  }

  /** The bytes appended, without a copy (valid until reset()). */
  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /** Empties it: new bytes go to a new buffer, so a view taken before stays intact. */
  reset(): void {
    this.budget?.release(this.buffer.length);
    this.buffer = EMPTY;
    this.length = 0;
  }

  /** Forgets the bytes but keeps the memory, for a reader that materialises and moves on. */
  rewind(): void {
    this.length = 0;
  }
}

/** The last `capacity` bytes of a stream, in a ring. */
class TailRing {
  private readonly ring: Buffer;
  private at = 0;
  length = 0;

  constructor(readonly capacity: number) {
    this.ring = Buffer.allocUnsafeSlow(capacity);
  }

  push(bytes: Uint8Array): void {
    const cap = this.capacity;
    if (bytes.length >= cap) {
      this.ring.set(bytes.subarray(bytes.length - cap));
      this.at = 0;
      this.length = cap;
      return;
    }
    const first = Math.min(bytes.length, cap - this.at);
    this.ring.set(bytes.subarray(0, first), this.at);
    if (first < bytes.length) this.ring.set(bytes.subarray(first), 0);
    this.at = (this.at + bytes.length) % cap;
    this.length = Math.min(cap, this.length + bytes.length);
  }

  /** The kept bytes in order, as a copy. */
  bytes(): Buffer {
    if (this.length < this.capacity) return Buffer.from(this.ring.subarray(0, this.length));
    return Buffer.concat([this.ring.subarray(this.at), this.ring.subarray(0, this.at)]);
  }
}

export interface WindowLimits {
  /** The first bytes kept. */
  readonly headBytes: number;
  /** The last bytes kept once the head is full (default 0). */
  readonly tailBytes?: number;
}

/**
 * What one receiver keeps of a byte stream since it was last cleared: the first
 * `headBytes`, optionally the last `tailBytes`, and, of everything, the count and a
 * SHA-256. When nothing was dropped, data() is the whole stream; otherwise it throws.
 */
export class ByteWindow {
  /** Bytes pushed since the last clear(), kept or not. */
  total = 0;
  private readonly head: GrowableBytes;
  private tailBytes: number;
  private tail: TailRing | undefined;
  /** Once a byte did not go to the head, nothing more does: the head stays a prefix. */
  private sealed = false;
  private afterHead = 0;
  private hash: Hash = createHash('sha256');
  /** Why bytes were dropped, if they were. */
  private limitedBy: 'window' | 'budget' | undefined;

  constructor(
    limits: WindowLimits,
    /** Who received them, for the error: "client-1". */
    readonly name: string,
    /** The allowance it draws on, if any. */
    readonly budget?: RetentionBudget,
  ) {
    this.head = new GrowableBytes(limits.headBytes, budget);
    this.tailBytes = limits.tailBytes ?? 0;
  }

  /** Changes what is kept from now on (a check that expects a larger reply raises it before it asks). */
  setLimits(limits: WindowLimits): void {
    this.head.cap = limits.headBytes;
    if (!this.tail) this.tailBytes = limits.tailBytes ?? 0;
  }

  get limits(): Required<WindowLimits> {
    return { headBytes: this.head.cap, tailBytes: this.tailBytes };
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.total += chunk.length;
    this.hash.update(chunk);
    let taken = 0;
    if (!this.sealed) {
      taken = this.head.append(chunk);
      if (taken < chunk.length) {
        this.sealed = true;
        this.limitedBy = this.head.length >= this.head.cap ? 'window' : 'budget';
      }
    }
    if (taken === chunk.length) return;
    const rest = taken ? chunk.subarray(taken) : chunk;
    this.afterHead += rest.length;
    if (this.tailBytes > 0 && !this.tail && (!this.budget || this.budget.take(this.tailBytes))) this.tail = new TailRing(this.tailBytes);
    this.tail?.push(rest);
  }

  /** True when every byte since the last clear() is kept. */
  get complete(): boolean {
    return this.afterHead === (this.tail?.length ?? 0);
  }

  /** Bytes this window holds in memory (allocated, not just filled). */
  get retainedBytes(): number {
    return this.head.capacity + (this.tail?.capacity ?? 0);
  }

  /** Bytes copied into the window so far: linear in what arrived. */
  get copiedBytes(): number {
    return this.head.copied;
  }

  /** The first bytes since the last clear(), as many as were kept. */
  first(): Buffer {
    return this.head.view();
  }

  /** The last bytes kept after the head (empty unless the head overflowed and a tail is kept). */
  last(): Buffer {
    return this.tail?.bytes() ?? EMPTY;
  }

  /** SHA-256 (hex) of every byte since the last clear(), kept or not. */
  sha256(): string {
    return this.hash.copy().digest('hex');
  }

  /** Every byte since the last clear(); throws WindowExceededError when some were not kept. */
  data(): Buffer {
    if (!this.complete) throw this.exceeded();
    if (this.afterHead === 0) return this.head.view();
    return Buffer.concat([this.head.view(), this.tail!.bytes()]);
  }

  /** Drops what was received so far; counts and hash start again. */
  clear(): void {
    this.total = 0;
    this.head.reset();
    if (this.tail) this.budget?.release(this.tail.capacity);
    this.tail = undefined;
    this.sealed = false;
    this.afterHead = 0;
    this.hash = createHash('sha256');
    this.limitedBy = undefined;
  }

  /** The error for a check that wants bytes that were not kept. */
  exceeded(): WindowExceededError {
    const kept = this.head.length + (this.tail?.length ?? 0);
    const limit =
      this.limitedBy === 'budget'
        ? `the ${formatBytes(this.budget?.limit ?? 0)} the grader keeps for a whole grading run`
        : `the ${formatBytes(this.head.cap)} the grader keeps of one connection`;
    return new WindowExceededError(
      `${formatBytes(this.total)} arrived at ${this.name}, more than ${limit}: far more than this check asks for, so the grader cannot compare them`,
      `at most ${formatBytes(this.head.cap)} at ${this.name}`,
      `${this.total} bytes (sha256 ${this.sha256().slice(0, 16)}…), of which the grader kept the first ${kept - (this.tail?.length ?? 0)}${this.tail ? ` and the last ${this.tail.length}` : ''}`,
    );
  }
}
