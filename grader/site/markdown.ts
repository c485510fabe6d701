// A lesson's markdown as HTML for the static site: highlighted code, ids on headings,
// links between lessons pointing at their pages, and the pictures each page uses.
import hljs from 'highlight.js';
import MarkdownIt, { type StateCore, type Token } from 'markdown-it';

export interface RenderedMarkdown {
  readonly html: string;
  /** Image sources as written, e.g. "pictures/tcp-sequence.svg". */
  readonly pictures: readonly string[];
}

interface Env {
  /** Maps a lesson file name ("02-echo-client.md") to its page ("02-echo-client.html"). */
  readonly pageOf: (markdownFile: string) => string | undefined;
  readonly pictures: string[];
}

const markdown = new MarkdownIt({
  html: false,
  linkify: false,
  typographer: false,
  highlight: (code, language) =>
    language && hljs.getLanguage(language) ? hljs.highlight(code, { language, ignoreIllegals: true }).value : '',
});

markdown.core.ruler.push('course_site', (state: StateCore) => {
  const env = state.env as Env;
  const ids = new Set<string>();
  state.tokens.forEach((token, index) => {
    const inline = state.tokens[index + 1];
    if (token.type === 'heading_open' && inline) token.attrSet('id', uniqueId(headingId(inline.content), ids));
    if (token.type === 'paragraph_open' && inline && isPictureOnly(inline)) token.attrSet('class', 'picture');
    if (token.type === 'inline') rewriteLinks(token, env, state);
  });
});

const defaultFence = markdown.renderer.rules.fence!;
markdown.renderer.rules.fence = (tokens, index, options, env, self) => {
  const html = defaultFence(tokens, index, options, env, self);
  const marks = tokens[index]!.info.trim().split(/\s+/).slice(1);
  const label = marks.includes('wrong') ? 'Wrong on purpose' : marks.includes('partial') ? 'Part of a program' : undefined;
  if (!label) return html;
  const kind = marks.includes('wrong') ? 'wrong' : 'partial';
  return `<div class="code-${kind}"><p class="code-label">${label}</p>\n${html}</div>\n`;
};

// Every picture opens on its own when tapped: on a phone that is the way to zoom into it.
const defaultImage = markdown.renderer.rules.image!;
markdown.renderer.rules.image = (tokens, index, options, env, self) => {
  const source = markdown.utils.escapeHtml(tokens[index]!.attrGet('src') ?? '');
  return `<a class="picture-link" href="${source}">${defaultImage(tokens, index, options, env, self)}</a>`;
};

export function renderMarkdown(source: string, pageOf: Env['pageOf']): RenderedMarkdown {
  const env: Env = { pageOf, pictures: [] };
  const html = markdown.render(source, env);
  return { html, pictures: [...new Set(env.pictures)] };
}

export function escapeHtml(text: string): string {
  return markdown.utils.escapeHtml(text);
}

function isExternal(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//');
}

function rewriteLinks(inline: Token, env: Env, state: StateCore): void {
  const children = inline.children ?? [];
  for (let i = 0; i < children.length; i++) {
    const token = children[i]!;
    if (token.type === 'image') env.pictures.push(token.attrGet('src') ?? '');
    if (token.type !== 'link_open') continue;
    const href = token.attrGet('href') ?? '';
    if (isExternal(href) || href.startsWith('#')) continue;
    const [file = '', hash = ''] = href.split(/(?=#)/);
    const page = env.pageOf(file.replace(/^\.\//, ''));
    if (page) {
      token.attrSet('href', page + hash);
    } else if (!file.startsWith('pictures/')) {
      // A file of the repository (an exercise, a solution) has no page: show its path instead of a dead link.
      const close = children.findIndex((candidate, at) => at > i && candidate.type === 'link_close');
      token.tag = 'span';
      token.attrs = [['class', 'repo-path']];
      if (close > 0) {
        children[close]!.tag = 'span';
        const path = new state.Token('code_inline', 'code', 0);
        path.content = href;
        const open = new state.Token('text', '', 0);
        open.content = ' (';
        const shut = new state.Token('text', '', 0);
        shut.content = ')';
        children.splice(close + 1, 0, open, path, shut);
      }
    }
  }
}

function isPictureOnly(inline: Token): boolean {
  const children = (inline.children ?? []).filter((child) => !(child.type === 'text' && child.content.trim() === '') && child.type !== 'softbreak');
  return children.length === 1 && children[0]!.type === 'image';
}

function headingId(text: string): string {
  const id = text
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return id || 'section';
}

function uniqueId(id: string, taken: Set<string>): string {
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}-${n}`;
  taken.add(candidate);
  return candidate;
}
