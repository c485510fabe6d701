// The waits of lesson 3 end as soon as what arrived is already wrong: these decide that.
import { describe, expect, it } from 'vitest';
import { printedWrongLine } from '../grader/checks/03-framing/client-output.ts';
import { encodeFrame, repliesGoneWrong } from '../grader/checks/03-framing/frames.ts';

const expected = [Buffer.from('olleh'), Buffer.alloc(0), Buffer.from('dlrow')];
const wire = Buffer.concat(expected.map((payload) => encodeFrame(payload)));

describe('repliesGoneWrong', () => {
  it('is false for every prefix of the right replies, cut anywhere, even inside a header', () => {
    for (let cut = 0; cut <= wire.length; cut++) expect(repliesGoneWrong(expected, wire.subarray(0, cut)), `first ${cut} bytes`).toBe(false);
  });

  it('is true once one whole frame is wrong, though later ones are still missing', () => {
    expect(repliesGoneWrong(expected, encodeFrame(Buffer.from('hello')))).toBe(true);
    expect(repliesGoneWrong(expected, Buffer.concat([encodeFrame(expected[0]!), encodeFrame(expected[2]!)]))).toBe(true);
  });

  it('is true for one frame too many, and false while a wrong frame is still unfinished', () => {
    expect(repliesGoneWrong(expected, Buffer.concat([wire, encodeFrame(Buffer.from('x'))]))).toBe(true);
    expect(repliesGoneWrong(expected, encodeFrame(Buffer.from('a long wrong reply')).subarray(0, 10))).toBe(false);
  });
});

describe('printedWrongLine', () => {
  const lines = ['olleh', '', 'dlrow'];

  it('is false while the output is a prefix of the right lines, the last one unfinished', () => {
    const text = 'olleh\n\ndlrow\n';
    for (let cut = 0; cut <= text.length; cut++) expect(printedWrongLine(text.slice(0, cut), lines), JSON.stringify(text.slice(0, cut))).toBe(false);
  });

  it('is true once a finished line differs, or one line too many is finished', () => {
    expect(printedWrongLine('oll\n', lines)).toBe(true);
    expect(printedWrongLine('olleh\r\n', lines)).toBe(true);
    expect(printedWrongLine('olleh\n\ndlrow\nextra\n', lines)).toBe(true);
  });

  it('waits on a wrong line until its newline: it may still be growing', () => {
    expect(printedWrongLine('xyz', lines)).toBe(false);
  });
});
