// The lines of the "lines are bytes" check, and what a wrong set of answers says about the
// server. A line is every byte up to "\n": bytes above 0x7F (a character split across
// chunks, bytes that are not UTF-8), spaces and tabs at either end, a "\r" before the "\n",
// a lone "\r" inside, and no bytes at all. Each case is observed in the replies; the hint
// names the first one, in an order that puts the most telling first.

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

const DIAGNOSES: readonly { readonly seen: (got: string[]) => boolean; readonly hint: string }[] = [
  {
    seen: (got) => got.includes('lone') && got.includes('cr inside'),
    hint: 'A lone "\\r" ended a line: the server splits lines like readline\'s "line" events (or a split on /\\r?\\n|\\r/), which also drops the "\\r" of "\\r\\n", decodes bytes as UTF-8 and hands over an unfinished last line. Only "\\n" ends a line here; every other byte, "\\r" included, belongs to it.',
  },
  {
    seen: (got) => got.some((body) => body.includes(REPLACEMENT)),
    hint: 'Bytes above 0x7F came back as U+FFFD (EF BF BD): the server decodes what it reads as UTF-8 text (chunk.toString(), setEncoding("utf8")), which breaks a character cut between two chunks and every byte that is not UTF-8. A line is bytes: find 0x0a in the Buffer and write the line\'s own bytes back.',
  },
  {
    seen: (got) => !got.includes(text('padded')) && got.some((body) => body !== text('padded') && body.trim() === text('padded').trim()),
    hint: 'Spaces or tabs at the ends of a line were removed: the server trims lines (trim(), trimEnd()), which also eats the "\\r" before "\\n". Answer the line exactly as it came, every byte before the "\\n".',
  },
  {
    seen: (got) => got.includes('crlf line') && !got.includes(text('crlf')),
    hint: 'The "\\r" before "\\n" was lost (a split on /\\r?\\n/ or readline does that): only "\\n" ends a line, and the "\\r" is part of the line, so it comes back in the reply.',
  },
  {
    seen: (got) => !got.includes(''),
    hint: 'The empty line got no answer (.filter(Boolean), or `if (!line) continue`): "\\n" alone is a line too, and its answer is "N \\n".',
  },
  {
    seen: (got) => !got.includes(text('split-utf8')) || !got.includes(text('not-utf8')),
    hint: 'A line with bytes above 0x7F came back changed: the server turns bytes into text and back. A line is bytes: write the line\'s own bytes back, with no decoding.',
  },
];

/** The hint for replies that are not the expected ones, or undefined when nothing telling was seen. */
export function diagnoseBytes(replies: readonly string[]): string | undefined {
  const got = bodies(replies);
  return DIAGNOSES.find((diagnosis) => diagnosis.seen(got))?.hint;
}
