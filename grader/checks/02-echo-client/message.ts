// The messages the grader gives the client: ASCII words around characters of 2, 3 and 4
// UTF-8 bytes, so bytes, UTF-16 units and characters all count differently.
import { escapeBytes } from '../../net/escape.ts';
import type { Random } from '../../net/random.ts';

/** Has 2-byte "é" and "ö", 3-byte "✓ 日本" and a 4-byte emoji (2 UTF-16 units): bytes exceed message.length by 10. */
export function nonAsciiMessage(random: Random): string {
  return `héllo ${random.word(3, 8)} wörld ✓ 日本 ${random.word(2, 6)} 🎉`;
}

/** The byte offset just after the first byte of `character`'s first occurrence: a cut inside it. */
export function splitInside(message: string, character: string): number {
  return Buffer.byteLength(message.slice(0, message.indexOf(character))) + 1;
}

/** The message's bytes with every ASCII letter's case swapped: same length, still UTF-8, not the message. */
export function swapAsciiCase(bytes: Buffer): Buffer {
  return Buffer.from(bytes.map((b) => ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) ? b ^ 0x20 : b)));
}

/** Text as a quoted string with \n, control characters and U+FFFD (a broken character) visible. */
export function showText(text: string): string {
  return JSON.stringify(text).replace(/\uFFFD/g, '\\ufffd');
}

/** Bytes as text when they are UTF-8, else byte by byte. */
export function showBytes(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? showText(text) : escapeBytes(bytes, 200);
}
