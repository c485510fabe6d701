// How the fragmenting proxy cuts a byte stream into writes. The piece that starts at a
// byte offset is a pure function of (seed, direction, connection, offset, profile), so a
// seed printed with a failure replays the same splits.

export type Direction = 'up' | 'down';

/**
 * - bytes: 1 to 3 bytes per write, so every 4-byte length prefix is split.
 * - mixed: runs of 1-byte writes, cuts of 1 to 7 bytes, medium pieces and large pieces
 *   that coalesce many frames into one write.
 * - bulk: like mixed, but mostly large pieces, for megabytes.
 * - coalesce: only large pieces: whatever arrives close together leaves in one write.
 */
export type Profile = 'bytes' | 'mixed' | 'bulk' | 'coalesce';

export interface Piece {
  /** Bytes in this write (the proxy writes fewer when its input stays idle). */
  readonly size: number;
  /** Pause after this write, so the next piece arrives as a separate read. */
  readonly delayMs: number;
}

const KiB = 1024;

/** A 32-bit hash of the arguments (murmur3's finaliser, applied per value). */
function mix(...values: number[]): number {
  let hash = 0x9e3779b9;
  for (const value of values) {
    hash = Math.imul(hash ^ (value >>> 0), 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return hash >>> 0;
}

/** An integer in [min, max] drawn from a hash. */
function between(hash: number, min: number, max: number): number {
  return min + (hash % (max - min + 1));
}

interface RegionRule {
  /** Bytes per region; each region draws its kind once. */
  readonly regionBytes: number;
  /** Percent weights of the kinds, in the order bytes, small, medium, large. */
  readonly weights: readonly [number, number, number, number];
  readonly medium: readonly [number, number];
  readonly large: readonly [number, number];
}

const RULES: Record<Exclude<Profile, 'bytes' | 'coalesce'>, RegionRule> = {
  mixed: { regionBytes: 1 * KiB, weights: [20, 20, 35, 25], medium: [8, 4 * KiB], large: [4 * KiB, 32 * KiB] },
  bulk: { regionBytes: 64 * KiB, weights: [3, 5, 30, 62], medium: [KiB, 16 * KiB], large: [32 * KiB, 256 * KiB] },
};

export function planPiece(seed: number, direction: Direction, connection: number, offset: number, profile: Profile): Piece {
  const stream = mix(seed, direction === 'up' ? 1 : 2, connection);
  const here = mix(stream, offset, 7);
  if (profile === 'bytes') return { size: between(here, 1, 3) === 3 ? 3 : 1, delayMs: between(here >>> 8, 1, 4) };
  if (profile === 'coalesce') return { size: between(here, 64 * KiB, 256 * KiB), delayMs: between(here >>> 8, 0, 2) };

  const rule = RULES[profile];
  const region = Math.floor(offset / rule.regionBytes);
  const regionEnd = (region + 1) * rule.regionBytes;
  const inRegion = offset - region * rule.regionBytes;
  const regionHash = mix(stream, region, 11);
  const roll = regionHash % 100;
  const [bytes, small, medium] = rule.weights;
  if (roll < bytes) {
    // A run of 1-byte writes, then the rest of the region in one piece.
    const run = between(regionHash >>> 8, 8, 40);
    return inRegion < run ? { size: 1, delayMs: between(here, 1, 2) } : { size: regionEnd - offset, delayMs: between(here, 1, 3) };
  }
  if (roll < bytes + small) {
    // Cuts of 1 to 7 bytes: a 4-byte prefix inside them is split somewhere.
    return inRegion < 64 ? { size: between(here, 1, 7), delayMs: between(here >>> 8, 1, 2) } : { size: regionEnd - offset, delayMs: 1 };
  }
  if (roll < bytes + small + medium) return { size: between(here, rule.medium[0], rule.medium[1]), delayMs: between(here >>> 8, 0, 3) };
  return { size: between(here, rule.large[0], rule.large[1]), delayMs: between(here >>> 8, 1, 5) };
}

/** The sizes of the pieces for `total` bytes that arrive all at once (no idle flush). */
export function planSizes(seed: number, direction: Direction, connection: number, total: number, profile: Profile): number[] {
  const sizes: number[] = [];
  for (let offset = 0; offset < total; ) {
    const size = Math.min(planPiece(seed, direction, connection, offset, profile).size, total - offset);
    sizes.push(size);
    offset += size;
  }
  return sizes;
}
