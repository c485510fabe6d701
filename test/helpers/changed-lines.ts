// How far a catalogue program is from the reference solution: lines of code (comments and blank
// lines left out, indentation ignored) that it adds or removes, whichever is more.
const codeLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('//'));

function longestCommonSubsequence(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const line of a) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 0; j < b.length; j++) row[j + 1] = line === b[j] ? previous[j]! + 1 : Math.max(previous[j + 1]!, row[j]!);
    previous = row;
  }
  return previous[b.length]!;
}

export function changedCodeLines(solution: string, program: string): number {
  const a = codeLines(solution);
  const b = codeLines(program);
  const common = longestCommonSubsequence(a, b);
  return Math.max(a.length - common, b.length - common);
}
