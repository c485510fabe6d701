// The malformed headers lesson 8's hostile checks send: every way a header's fields can be
// missing, of the wrong type or out of range, and a header that is not UTF-8.
import type { Diagnosis } from '../check.ts';
import { diagnoses } from './diagnoses.ts';
import { FIELDS, JSON_TYPE, rawMessage } from './wire.ts';

/** The content of every bad-field request: a search a lenient server would answer. */
const CONTENT = JSON.stringify({ action: 'search', value: 'morpheus' });

export interface BadFieldCase {
  readonly what: string;
  readonly header: Record<string, unknown>;
  readonly content: string;
  readonly diagnosis: Diagnosis;
}

function validHeader(): Record<string, unknown> {
  return { byteorder: 'big', 'content-type': JSON_TYPE, 'content-encoding': 'utf-8', 'content-length': Buffer.byteLength(CONTENT) };
}

/** A wrong value of the wrong type for each field: a number for a string, a string for the number. */
const WRONG_TYPE: Readonly<Record<(typeof FIELDS)[number], unknown>> = {
  byteorder: 1,
  'content-type': 7,
  'content-encoding': 8,
  'content-length': String(Buffer.byteLength(CONTENT)),
};

/** Each field missing, each of the wrong type, then content-lengths no content can have; the content (if any) follows. */
export function badFieldCases(): BadFieldCase[] {
  const cases: BadFieldCase[] = [];
  for (const field of FIELDS) {
    const header = validHeader();
    delete header[field];
    cases.push({ what: `a header without "${field}", then a search`, header, content: CONTENT, diagnosis: diagnoses['accepts-bad-field'] });
  }
  for (const field of FIELDS) {
    cases.push({ what: `a header whose "${field}" is ${JSON.stringify(WRONG_TYPE[field])}, then a search`, header: { ...validHeader(), [field]: WRONG_TYPE[field] }, content: CONTENT, diagnosis: diagnoses['accepts-bad-field'] });
  }
  // Only the header: a server that waits for this content waits for ever.
  cases.push({ what: 'a header whose "content-length" is 1048577, one over the maximum, and no content', header: { ...validHeader(), 'content-length': 1024 * 1024 + 1 }, content: '', diagnosis: diagnoses['trusts-content-length'] });
  for (const length of [1.5, -1]) {
    cases.push({ what: `a header whose "content-length" is ${length}, and no content`, header: { ...validHeader(), 'content-length': length }, content: '', diagnosis: diagnoses['accepts-impossible-content-length'] });
  }
  return cases;
}

/** A header that would be valid JSON but holds the byte FF, never part of UTF-8, then a search. */
export function notUtf8Header(): Buffer {
  const content = Buffer.from(CONTENT);
  const header = Buffer.concat([Buffer.from('{"byteorder": "big'), Buffer.from([0xff]), Buffer.from(`", "content-type": "${JSON_TYPE}", "content-encoding": "utf-8", "content-length": ${content.length}}`)]);
  return rawMessage(header, content);
}
