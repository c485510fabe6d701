// Word wrapping of styled text. Widths are measured on the plain text, and colour is
// applied per piece after the line breaks are chosen, so escape codes never count as width.
import type { Paint, Style } from '../report/paint.ts';

/** A stretch of text in one style. `keep` stretches (inline code, URLs) are never broken. */
export interface Run {
  readonly text: string;
  readonly styles: readonly Style[];
  readonly keep?: boolean;
  /** A hard line break (two spaces or a backslash at the end of a markdown line). */
  readonly newline?: boolean;
}

type Word = Run[];

export function visibleLength(text: string): number {
  return [...text].length;
}

export function paintRun(run: Run, paint: Paint): string {
  return run.styles.reduce((text, style) => paint(style, text), run.text);
}

export function plainText(runs: readonly Run[]): string {
  return runs.map((run) => (run.newline ? ' ' : run.text)).join('');
}

/** Paints runs on one line, unwrapped (table cells). */
export function paintRuns(runs: readonly Run[], paint: Paint): string {
  return runs.map((run) => (run.newline ? ' ' : paintRun(run, paint))).join('');
}

/** Greedy wrap to `width` columns; a word longer than the width gets a line of its own. */
export function wrapRuns(runs: readonly Run[], width: number, paint: Paint): string[] {
  const lines: string[] = [];
  let line: Word[] = [];
  let lineLength = 0;
  const flush = () => {
    lines.push(paintLine(line, paint));
    line = [];
    lineLength = 0;
  };
  for (const item of splitWords(runs)) {
    if (item === 'newline') {
      flush();
      continue;
    }
    const length = visibleLength(item.map((run) => run.text).join(''));
    if (line.length && lineLength + 1 + length > width) flush();
    lineLength += (line.length ? 1 : 0) + length;
    line.push(item);
  }
  if (line.length || lines.length === 0) flush();
  return lines;
}

/** Joins a line's words and paints each stretch of one style once, spaces included. */
function paintLine(words: readonly Word[], paint: Paint): string {
  const runs: Run[] = [];
  words.forEach((word, index) => {
    const previous = runs.at(-1);
    if (index > 0) runs.push({ text: ' ', styles: sameStyles(previous?.styles ?? [], word[0]?.styles ?? []) ? word[0]!.styles : [] });
    runs.push(...word);
  });
  const merged: Run[] = [];
  for (const run of runs) {
    const last = merged.at(-1);
    if (last && sameStyles(last.styles, run.styles)) merged[merged.length - 1] = { text: last.text + run.text, styles: last.styles };
    else merged.push(run);
  }
  return merged.map((run) => paintRun(run, paint)).join('');
}

function sameStyles(a: readonly Style[], b: readonly Style[]): boolean {
  return a.length === b.length && a.every((style, index) => style === b[index]);
}

/** Words are separated by spaces outside kept runs; a word may mix styles ("`x`,"). */
function splitWords(runs: readonly Run[]): (Word | 'newline')[] {
  const items: (Word | 'newline')[] = [];
  let word: Word = [];
  const endWord = () => {
    if (word.length) items.push(word);
    word = [];
  };
  for (const run of runs) {
    if (run.newline) {
      endWord();
      items.push('newline');
    } else if (run.keep) {
      word.push(run);
    } else {
      run.text.split(/(\s+)/).forEach((part, index) => {
        if (index % 2 === 1) endWord();
        else if (part) word.push({ text: part, styles: run.styles });
      });
    }
  }
  endWord();
  return items;
}
