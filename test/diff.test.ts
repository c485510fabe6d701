import { describe, expect, it } from 'vitest';
import { diffLines, formatDiff } from '../grader/diff.ts';

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
