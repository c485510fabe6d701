// markdown-it's flat token stream, folded into a tree of blocks that a plain-text renderer
// can lay out with indentation (lists and quotes nest; markdown-it only marks open/close).
import MarkdownIt, { type Token } from 'markdown-it';

export type Align = 'left' | 'center' | 'right';

export interface TableCell {
  readonly inline: Token;
  readonly align: Align;
}

export type Block =
  | { readonly kind: 'heading'; readonly level: number; readonly inline: Token }
  | { readonly kind: 'paragraph'; readonly inline: Token; readonly tight: boolean }
  | { readonly kind: 'code'; readonly info: string; readonly text: string }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly start: number; readonly items: readonly (readonly Block[])[]; readonly tight: boolean }
  | { readonly kind: 'quote'; readonly children: readonly Block[] }
  | { readonly kind: 'table'; readonly head: readonly TableCell[]; readonly rows: readonly (readonly TableCell[])[] }
  | { readonly kind: 'rule' };

// html: false, so raw HTML in a lesson shows as text instead of vanishing.
const parser = new MarkdownIt({ html: false, linkify: false, typographer: false });

export function parseBlocks(markdown: string): Block[] {
  const tokens = parser.parse(markdown, {});
  return readBlocks(tokens, 0, undefined).blocks;
}

function readBlocks(tokens: readonly Token[], start: number, closing: string | undefined): { blocks: Block[]; next: number } {
  const blocks: Block[] = [];
  let i = start;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (token.type === closing) return { blocks, next: i + 1 };
    switch (token.type) {
      case 'heading_open':
        blocks.push({ kind: 'heading', level: Number(token.tag.slice(1)), inline: tokens[i + 1]! });
        i += 3;
        break;
      case 'paragraph_open':
        // markdown-it hides the paragraphs of a tight list; that is the only mark of tightness.
        blocks.push({ kind: 'paragraph', inline: tokens[i + 1]!, tight: token.hidden });
        i += 3;
        break;
      case 'fence':
      case 'code_block':
        blocks.push({ kind: 'code', info: token.info.trim(), text: token.content });
        i += 1;
        break;
      case 'hr':
        blocks.push({ kind: 'rule' });
        i += 1;
        break;
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const list = readList(tokens, i);
        blocks.push(list.block);
        i = list.next;
        break;
      }
      case 'blockquote_open': {
        const inner = readBlocks(tokens, i + 1, 'blockquote_close');
        blocks.push({ kind: 'quote', children: inner.blocks });
        i = inner.next;
        break;
      }
      case 'table_open': {
        const table = readTable(tokens, i + 1);
        blocks.push(table.block);
        i = table.next;
        break;
      }
      default:
        i += 1;
    }
  }
  return { blocks, next: i };
}

function readList(tokens: readonly Token[], start: number): { block: Block; next: number } {
  const open = tokens[start]!;
  const ordered = open.type === 'ordered_list_open';
  const closing = ordered ? 'ordered_list_close' : 'bullet_list_close';
  const items: Block[][] = [];
  let i = start + 1;
  while (tokens[i] && tokens[i]!.type === 'list_item_open') {
    const item = readBlocks(tokens, i + 1, 'list_item_close');
    items.push(item.blocks);
    i = item.next;
  }
  if (tokens[i]?.type === closing) i += 1;
  const paragraphs = items.flat().filter((block) => block.kind === 'paragraph');
  const tight = paragraphs.every((block) => block.tight);
  return { block: { kind: 'list', ordered, start: Number(open.attrGet('start') ?? 1), items, tight }, next: i };
}

function readTable(tokens: readonly Token[], start: number): { block: Block; next: number } {
  const head: TableCell[] = [];
  const rows: TableCell[][] = [];
  let row: TableCell[] | undefined;
  let i = start;
  for (; i < tokens.length && tokens[i]!.type !== 'table_close'; i++) {
    const token = tokens[i]!;
    if (token.type === 'tr_open') row = [];
    else if (token.type === 'th_open' || token.type === 'td_open') row?.push({ inline: tokens[i + 1]!, align: alignOf(token) });
    else if (token.type === 'tr_close' && row) {
      if (head.length === 0 && row.length && tokens[i - 1]?.type === 'th_close') head.push(...row);
      else rows.push(row);
      row = undefined;
    }
  }
  return { block: { kind: 'table', head, rows }, next: i + 1 };
}

function alignOf(token: Token): Align {
  const style = token.attrGet('style') ?? '';
  if (style.includes('right')) return 'right';
  if (style.includes('center')) return 'center';
  return 'left';
}
