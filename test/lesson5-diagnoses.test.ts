// Lesson 5's diagnoses from what came back: each names the mistake its replies show, and
// none fires on the right replies.
import { describe, expect, it } from 'vitest';
import { BYTE_LINES, diagnoseBytes } from '../grader/checks/05-multiplexing/bytes.ts';
import { drainListenerWarning } from '../grader/checks/05-multiplexing/short-flood.ts';

const right = BYTE_LINES.map((line, i) => `${7 + i} ${line.bytes.toString('latin1')}`);
const replace = (from: string, to: string[]) => right.flatMap((reply) => (reply.endsWith(` ${from}`) ? to : [reply]));
const body = (name: string) => BYTE_LINES.find((line) => line.name === name)!.bytes.toString('latin1');

describe('lesson 5 byte diagnoses', () => {
  it('says nothing about the right replies', () => {
    expect(diagnoseBytes(right)).toBeUndefined();
  });

  it('names UTF-8 decoding when U+FFFD came back', () => {
    expect(diagnoseBytes(replace(body('not-utf8'), ['8 bytes \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd end']))?.id).toBe('decodes-as-utf8');
  });

  it('names readline when a lone "\\r" ended a line, before the U+FFFD it also shows', () => {
    const replies = replace(body('lone-cr'), ['12 lone', '13 cr inside']).map((reply) => reply.replace('\xff\xfe\x80', '\xef\xbf\xbd'));
    expect(diagnoseBytes(replies)?.id).toBe('splits-on-lone-cr');
  });

  it('names trimming, not the lost "\\r", when both ends lost their spaces', () => {
    const replies = replace(body('padded'), ['9 padded line']).map((reply) => reply.replace('crlf line\r', 'crlf line'));
    expect(diagnoseBytes(replies)?.id).toBe('trims-lines');
  });

  it('names the lost "\\r" alone', () => {
    expect(diagnoseBytes(right.map((reply) => reply.replace('crlf line\r', 'crlf line')))?.id).toBe('drops-cr-before-newline');
  });

  it('names the skipped empty line', () => {
    expect(diagnoseBytes(replace('', []))?.id).toBe('drops-empty-lines');
  });

  it('names bytes changed otherwise (latin1 read, UTF-8 written)', () => {
    // Each byte read as one latin1 character, then written as UTF-8: one or two bytes each.
    const mojibake = right.map((reply) => Buffer.from(reply, 'utf8').toString('latin1'));
    expect(diagnoseBytes(mojibake)?.id).toBe('changes-high-bytes');
  });

  it('finds Node\'s warning about piled-up "drain" listeners, and only that one', () => {
    const warning = '(node:123) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 drain listeners added to [Socket]. Use emitter.setMaxListeners() to increase limit';
    expect(drainListenerWarning(`client error: ECONNRESET\n${warning}\n`)).toBe(warning);
    expect(drainListenerWarning('(node:1) MaxListenersExceededWarning: 11 data listeners added')).toBeUndefined();
  });
});
