// What lesson 1 sends its server and how it compares what came back: every byte value in a
// seeded order, and the usual causes of an echo that differs.
import { createHash } from 'node:crypto';
import { escapeBytes, firstDifference } from '../../net/escape.ts';
import { fail, type Diagnosis } from '../check.ts';
import { diagnoses } from './diagnoses.ts';

export const BINARY_BYTES = 64 * 1024;

/** Every byte value, 256 times over, in a seeded order. */
export function allByteValues(seedOrder: (n: number) => number): Buffer {
  const data = Buffer.alloc(BINARY_BYTES);
  for (let i = 0; i < BINARY_BYTES; i++) data[i] = (i + seedOrder(i >> 8)) & 0xff;
  return data;
}

/** Names the usual cause of a corrupted echo. */
export function diagnoseEcho(sent: Buffer, got: Buffer): Diagnosis | undefined {
  if (got.includes(Buffer.from([0xef, 0xbf, 0xbd]))) return diagnoses['decodes-as-text'];
  const newlines = (data: Buffer) => data.filter((b) => b === 0x0a).length;
  if (got.length > sent.length && newlines(got) > newlines(sent)) return diagnoses['newline-per-chunk'];
  if (got.length < sent.length) return diagnoses['echoes-part'];
  return undefined;
}

export function expectSameBytes(sent: Buffer, got: Buffer, what: string): void {
  const at = firstDifference(sent, got);
  if (at === -1) return;
  const from = Math.max(0, at - 8);
  fail(`${what}: ${got.length} bytes came back for ${sent.length} sent, first difference at byte ${at}`, {
    expected: `${escapeBytes(sent.subarray(from, from + 24), 24)} (bytes ${from}… of ${sent.length})`,
    actual: `${escapeBytes(got.subarray(from, from + 24), 24)} (bytes ${from}… of ${got.length})`,
    diagnosis: diagnoseEcho(sent, got),
  });
}

export const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
