// How far a catalogue program is from the reference solution: lines of code (comments and blank
// lines left out, indentation ignored) that it adds or removes, whichever is more.
import { diffLines } from '../../grader/diff.ts';

const codeLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('//'))
    .join('\n');

export function changedCodeLines(solution: string, program: string): number {
  const lines = diffLines(codeLines(solution), codeLines(program));
  const count = (kind: 'removed' | 'added') => lines.filter((line) => line.kind === kind).length;
  return Math.max(count('removed'), count('added'));
}
