// A lesson's markdown, laid out for a terminal: wrapped paragraphs, indented lists and
// quotes, code behind a gutter, tables in columns, links as "text (url)". Pure: the caller
// decides the width and whether there is colour.
import type { Token } from 'markdown-it';
import type { Paint, Style } from '../report/paint.ts';
import { parseBlocks, type Align, type Block, type TableCell } from './blocks.ts';
import { paintRuns, plainText, visibleLength, wrapRuns, type Run } from './wrap.ts';

export interface TerminalOptions {
  /** Columns available; paragraphs wrap to it, code is never wrapped. */
  readonly width: number;
  readonly paint: Paint;
  /** What to show in parentheses after a link's text; the URL itself by default. */
  readonly linkTarget?: (href: string) => string;
}

interface Context extends TerminalOptions {
  readonly coloured: boolean;
  readonly depth: number;
}

const MIN_WIDTH = 20;

export function renderLessonForTerminal(markdown: string, options: TerminalOptions): string {
  // Without colour, inline code keeps its backticks so it still stands out.
  const coloured = options.paint('bold', 'x') !== 'x';
  const context: Context = { ...options, width: Math.max(MIN_WIDTH, Math.floor(options.width)), coloured, depth: 0 };
  return `${renderBlocks(parseBlocks(markdown), context, false).join('\n')}\n`;
}

function renderBlocks(blocks: readonly Block[], context: Context, tight: boolean): string[] {
  const lines: string[] = [];
  blocks.forEach((block, index) => {
    if (index > 0 && !tight) lines.push('');
    lines.push(...renderBlock(block, context));
  });
  return lines;
}

function renderBlock(block: Block, context: Context): string[] {
  const { paint, width } = context;
  switch (block.kind) {
    case 'heading': {
      const lines = wrapRuns(inlineRuns(block.inline, context, ['bold']), width, paint);
      const longest = Math.max(...wrapRuns(inlineRuns(block.inline, context, []), width, (_s, t) => t).map(visibleLength));
      if (block.level === 1) return [...lines, paint('dim', '═'.repeat(Math.min(width, longest)))];
      if (block.level === 2) return [...lines, paint('dim', '─'.repeat(Math.min(width, longest)))];
      return lines;
    }
    case 'paragraph':
      return wrapRuns(inlineRuns(block.inline, context, []), width, paint);
    case 'code':
      return renderCode(block.info, block.text, paint);
    case 'rule':
      return [paint('dim', '─'.repeat(width))];
    case 'quote': {
      const inner = renderBlocks(block.children, { ...context, width: width - 2 }, false);
      return inner.map((line) => (line ? `${paint('dim', '│')} ${line}` : paint('dim', '│')));
    }
    case 'list':
      return renderList(block, context);
    case 'table':
      return renderTable(block.head, block.rows, context);
  }
}

function renderCode(info: string, text: string, paint: Paint): string[] {
  const [language = '', ...marks] = info.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  if (marks.includes('wrong')) lines.push(`  ${paint('dim', '┌─')} ${paint('yellow', `${language} · wrong on purpose`)}`);
  else if (marks.includes('partial')) lines.push(`  ${paint('dim', `┌─ ${language} · part of a program`)}`);
  else if (language) lines.push(`  ${paint('dim', `┌─ ${language}`)}`);
  const body = text.replace(/\n$/, '').replace(/\t/g, '    ').split('\n');
  for (const line of body) lines.push(`  ${paint('dim', '│')} ${line}`.trimEnd());
  return lines;
}

function renderList(list: Extract<Block, { kind: 'list' }>, context: Context): string[] {
  const last = list.start + list.items.length - 1;
  const markerWidth = list.ordered ? String(last).length + 2 : 2;
  const bullet = context.depth % 2 === 0 ? '•' : '◦';
  const inner: Context = { ...context, width: context.width - markerWidth, depth: context.depth + 1 };
  const lines: string[] = [];
  list.items.forEach((item, index) => {
    if (index > 0 && !list.tight) lines.push('');
    const marker = list.ordered ? `${list.start + index}.`.padEnd(markerWidth) : `${bullet} `;
    const body = renderBlocks(item, inner, list.tight);
    if (body.length === 0) body.push('');
    body.forEach((line, at) => {
      const prefix = at === 0 ? context.paint('cyan', marker) : ' '.repeat(markerWidth);
      lines.push(line ? `${prefix}${line}` : '');
    });
  });
  return lines;
}

function renderTable(head: readonly TableCell[], rows: readonly (readonly TableCell[])[], context: Context): string[] {
  const { paint, width } = context;
  const columns = Math.max(head.length, ...rows.map((row) => row.length));
  const cell = (row: readonly TableCell[], column: number, base: readonly Style[]) => {
    const found = row[column];
    const runs = found ? inlineRuns(found.inline, context, base) : [];
    return { painted: paintRuns(runs, paint), length: visibleLength(plainText(runs)), align: found?.align ?? 'left' };
  };
  const headCells = Array.from({ length: columns }, (_, column) => cell(head, column, ['bold']));
  const bodyCells = rows.map((row) => Array.from({ length: columns }, (_, column) => cell(row, column, [])));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(headCells[column]!.length, ...bodyCells.map((row) => row[column]!.length)),
  );
  const total = widths.reduce((sum, w) => sum + w, 0) + 3 * (columns - 1);
  if (total > width) return stackedTable(head, rows, context);

  const separator = paint('dim', ' │ ');
  const line = (cells: typeof headCells) =>
    cells.map((c, column) => pad(c.painted, c.length, widths[column]!, c.align)).join(separator).trimEnd();
  const lines: string[] = [];
  if (head.length) lines.push(line(headCells), paint('dim', widths.map((w) => '─'.repeat(w)).join('─┼─')));
  for (const row of bodyCells) lines.push(line(row));
  return lines;
}

function pad(painted: string, length: number, width: number, align: Align): string {
  const room = width - length;
  if (align === 'right') return ' '.repeat(room) + painted;
  if (align === 'center') return ' '.repeat(Math.floor(room / 2)) + painted + ' '.repeat(Math.ceil(room / 2));
  return painted + ' '.repeat(room);
}

/** Too wide for columns: each row becomes "Header: value" lines. */
function stackedTable(head: readonly TableCell[], rows: readonly (readonly TableCell[])[], context: Context): string[] {
  const lines: string[] = [];
  rows.forEach((row, index) => {
    if (index > 0) lines.push('');
    row.forEach((found, column) => {
      const label = head[column] ? [...inlineRuns(head[column]!.inline, context, ['bold']), { text: ': ', styles: ['bold'] } satisfies Run] : [];
      lines.push(...wrapRuns([...label, ...inlineRuns(found.inline, context, [])], context.width, context.paint));
    });
  });
  return lines;
}

/** One inline token's children as styled runs. */
function inlineRuns(inline: Token, context: Context, base: readonly Style[]): Run[] {
  const runs: Run[] = [];
  const styles: Style[] = [...base];
  const links: { href: string; textStart: number }[] = [];
  for (const token of inline.children ?? []) {
    switch (token.type) {
      case 'text':
      case 'html_inline':
        runs.push({ text: token.content, styles: [...styles] });
        break;
      case 'code_inline':
        runs.push({ text: context.coloured ? token.content : `\`${token.content}\``, styles: [...styles, 'cyan'], keep: true });
        break;
      case 'softbreak':
        runs.push({ text: ' ', styles: [] });
        break;
      case 'hardbreak':
        runs.push({ text: '', styles: [], newline: true });
        break;
      case 'strong_open':
        styles.push('bold');
        break;
      case 'em_open':
        styles.push('yellow');
        break;
      case 'strong_close':
      case 'em_close':
        styles.pop();
        break;
      case 'link_open':
        links.push({ href: token.attrGet('href') ?? '', textStart: runs.length });
        break;
      case 'link_close': {
        const link = links.pop();
        if (!link) break;
        const text = plainText(runs.slice(link.textStart)).trim();
        const target = context.linkTarget ? context.linkTarget(link.href) : link.href;
        const bare = target.replace(/^mailto:/, '');
        if (target && text !== bare) runs.push({ text: ' ', styles: [] }, { text: `(${target})`, styles: ['dim'], keep: true });
        break;
      }
      case 'image':
        runs.push({ text: `[picture: ${token.content || 'no description'} — see npm run site]`, styles: ['dim'] });
        break;
      default:
        break;
    }
  }
  return runs;
}
