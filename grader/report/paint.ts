import { styleText } from 'node:util';

export type Style = 'green' | 'red' | 'yellow' | 'cyan' | 'dim' | 'bold';

/** Colour only on a terminal, never under NO_COLOR (https://no-color.org) or TERM=dumb; FORCE_COLOR wins. */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export type Paint = (style: Style, text: string) => string;

export function painter(enabled: boolean): Paint {
  // styleText checks nothing itself on Node 20, so the decision is made here, once.
  return enabled ? (style, text) => styleText(style, text) : (_style, text) => text;
}
