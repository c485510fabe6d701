import { describe, expect, it } from 'vitest';
import { codeOnly, diffLines, formatDiff } from '../grader/diff.ts';

describe('diffLines', () => {
  it('marks nothing on equal text', () => {
    expect(diffLines('a\nb', 'a\nb').every((line) => line.kind === 'same')).toBe(true);
  });

  it('finds a replaced line between equal ones', () => {
    expect(diffLines('a\nb\nc', 'a\nx\nc')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' },
    ]);
  });

  it('shows only context around changes, separating distant hunks', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 2\n', 'line two\n').replace('line 17', 'line seventeen');
    const lines = formatDiff(diffLines(before, after), 1);
    expect(lines.filter((line) => line === '@@')).toHaveLength(2);
    expect(lines).toContain('- line 2');
    expect(lines).toContain('+ line seventeen');
    expect(lines).not.toContain('  line 10');
  });
});

describe('codeOnly', () => {
  it('leaves out comments, blank lines and spacing, and keeps strings whole', () => {
    const mine = [
      "// Lesson 1: my server",
      "const url = 'http://example'; // the // in the string stays",
      '',
      '/* a block',
      '   comment */ const  x   =  1;',
      '    conn.on("data", (chunk) => conn.write(chunk));',
      'const t = `a // b`;',
    ].join('\n');
    expect(codeOnly(mine).split('\n')).toEqual([
      "const url = 'http://example';",
      'const x = 1;',
      'conn.on("data", (chunk) => conn.write(chunk));',
      'const t = `a // b`;',
    ]);
  });

  it('makes two programs that differ only in comments and layout compare equal', () => {
    const reference = "// Filled in: echo.\nconn.on('data', (chunk) => conn.write(chunk));\n";
    const mine = "conn.on('data', (chunk) =>   conn.write(chunk)); // echo it\n\n";
    expect(diffLines(codeOnly(mine), codeOnly(reference)).every((line) => line.kind === 'same')).toBe(true);
  });
});
