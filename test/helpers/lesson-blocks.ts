// The ```ts blocks of the lesson texts, as the tests that compile them and that lay them over
// the exercises read them.
import MarkdownIt from 'markdown-it';

export interface CodeBlock {
  /** Shown in failures: "lessons/03-framing.md". */
  readonly lessonFile: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly info: string;
  readonly code: string;
  readonly verdict: 'compile' | 'skip' | 'bad marker';
}

const TS_LANGUAGES = new Set(['ts', 'typescript']);
const SKIP_MARKERS = new Set(['partial', 'wrong']);
export const parser = new MarkdownIt();

export function tsBlocks(markdown: string, lessonFile: string): CodeBlock[] {
  return parser
    .parse(markdown, {})
    .filter((token) => token.type === 'fence')
    .flatMap((token) => {
      const info = token.info.trim();
      const [language = '', ...marks] = info.split(/\s+/);
      if (!TS_LANGUAGES.has(language.toLowerCase())) return [];
      const verdict = marks.length === 0 ? 'compile' : marks.length === 1 && SKIP_MARKERS.has(marks[0]!) ? 'skip' : 'bad marker';
      return [{ lessonFile, line: token.map![0] + 1, info, code: token.content, verdict } satisfies CodeBlock];
    });
}

