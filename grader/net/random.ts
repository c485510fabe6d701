// Seeded randomness: every random choice the grader makes comes from here, so the seed
// printed with a failure reproduces it exactly.

function hashString(text: string): number {
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform float in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(0, 255);
    return out;
  }

  /** Printable ASCII, for messages that travel as command-line arguments or lines. */
  word(min: number, max: number): string {
    const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    let out = '';
    for (let i = this.int(min, max); i > 0; i--) out += letters[this.int(0, letters.length - 1)];
    return out;
  }

  /** An independent stream for one purpose, so adding a draw elsewhere does not shift it. */
  fork(label: string): Random {
    return new Random((this.seed ^ hashString(label)) >>> 0);
  }
}

/** A seed of its own for one purpose under a shared seed: one student's lesson in a class run. */
export function deriveSeed(seed: number, label: string): number {
  return new Random(seed).fork(label).int(0, 0xffffffff);
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 1_000_000);
}
