// The lines of the "lines are bytes" check, and what a wrong set of answers says about the
// server. A line is every byte up to "\n": bytes above 0x7F (a character split across
// chunks, bytes that are not UTF-8), spaces and tabs at either end, a "\r" before the "\n",
// a lone "\r" inside, and no bytes at all. Each case is observed in the replies; the
// diagnosis names the first one, in an order that puts the most telling first.

import type { Diagnosis } from '../check.ts';
import { diagnoses } from './diagnoses.ts';

/** One line as sent, without its "\n", and the pieces it is written in. */
export interface ByteLine {
  readonly name: string;
  readonly bytes: Buffer;
}

const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** "naïve café €" in UTF-8, written so that ï, é and € are each cut inside the character. */
export const SPLIT_UTF8_PIECES: readonly Buffer[] = [
  Buffer.from([0x6e, 0x61, 0xc3]), // "na" and the first byte of "ï"
  Buffer.from([0xaf, 0x76, 0x65, 0x20, 0x63, 0x61, 0x66, 0xc3]), // "ve caf", first byte of "é"
  Buffer.from([0xa9, 0x20, 0xe2, 0x82]), // " " and two of the three bytes of "€"
  Buffer.from([0xac]),
];

export const BYTE_LINES: readonly ByteLine[] = [
  { name: 'split-utf8', bytes: Buffer.concat(SPLIT_UTF8_PIECES) },
  { name: 'not-utf8', bytes: latin1('bytes \xff\xfe\x80 end') },
  { name: 'padded', bytes: latin1('  \tpadded line\t  ') },
  { name: 'empty', bytes: Buffer.alloc(0) },
  { name: 'crlf', bytes: latin1('crlf line\r') },
  { name: 'lone-cr', bytes: latin1('lone\rcr inside') },
];

const text = (name: string) => BYTE_LINES.find((line) => line.name === name)!.bytes.toString('latin1');
/** U+FFFD in UTF-8, as the grader's latin1 reading of the replies shows it. */
const REPLACEMENT = '\xef\xbf\xbd';

/** The reply texts without their "N " (the numbers are compared elsewhere in the same check). */
function bodies(replies: readonly string[]): string[] {
  return replies.map((reply) => reply.replace(/^\d+ /, ''));
}

const DIAGNOSES: readonly { readonly seen: (got: string[]) => boolean; readonly diagnosis: Diagnosis }[] = [
  {
    seen: (got) => got.includes('lone') && got.includes('cr inside'),
    diagnosis: diagnoses['splits-on-lone-cr'],
  },
  {
    seen: (got) => got.some((body) => body.includes(REPLACEMENT)),
    diagnosis: diagnoses['decodes-as-utf8'],
  },
  {
    seen: (got) => !got.includes(text('padded')) && got.some((body) => body !== text('padded') && body.trim() === text('padded').trim()),
    diagnosis: diagnoses['trims-lines'],
  },
  {
    seen: (got) => got.includes('crlf line') && !got.includes(text('crlf')),
    diagnosis: diagnoses['drops-cr-before-newline'],
  },
  {
    seen: (got) => !got.includes(''),
    diagnosis: diagnoses['drops-empty-lines'],
  },
  {
    seen: (got) => !got.includes(text('split-utf8')) || !got.includes(text('not-utf8')),
    diagnosis: diagnoses['changes-high-bytes'],
  },
];

/** The diagnosis for replies that are not the expected ones, or undefined when nothing telling was seen. */
export function diagnoseBytes(replies: readonly string[]): Diagnosis | undefined {
  const got = bodies(replies);
  return DIAGNOSES.find((diagnosis) => diagnosis.seen(got))?.diagnosis;
}
