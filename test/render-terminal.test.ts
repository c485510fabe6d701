import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { course } from '../lessons/course.ts';
import { lessonCommand, terminalLinkTarget } from '../grader/commands/lesson.ts';
import type { Io } from '../grader/io.ts';
import { lessonsRoot, repoRoot } from '../grader/paths.ts';
import { renderLessonForTerminal } from '../grader/render/terminal.ts';
import type { Paint } from '../grader/report/paint.ts';
import { painter } from '../grader/report/paint.ts';

const plain = painter(false);
// A visible stand-in for colour, so tests do not depend on whether stdout is a terminal.
const tagged: Paint = (style, text) => `<${style}>${text}</${style}>`;
const render = (markdown: string, width = 80) => renderLessonForTerminal(markdown, { width, paint: plain });

describe('renderLessonForTerminal', () => {
  it('writes no escape codes when colour is off', () => {
    expect(render('# Title\n\n**bold** *em* `code` [a](https://x.test)\n\n```ts\nlet a = 1;\n```\n')).not.toMatch(/\u001b\[/);
  });

  it('paints through the painter it is given', () => {
    expect(renderLessonForTerminal('**bold** and `code`', { width: 80, paint: tagged })).toBe('<bold>bold</bold> and <cyan>code</cyan>\n');
  });

  it('keeps backticks around inline code when there is no colour', () => {
    expect(render('call `server.listen()` first')).toBe('call `server.listen()` first\n');
  });

  it('wraps paragraphs to the width at spaces', () => {
    expect(render('one two three four five six seven', 20)).toBe('one two three four\nfive six seven\n');
  });

  it('joins the lines of one paragraph before wrapping', () => {
    expect(render('one\ntwo', 80)).toBe('one two\n');
  });

  it('gives a word longer than the width a line of its own instead of cutting it', () => {
    expect(render('see https://nodejs.org/api/net.html now', 20)).toBe('see\nhttps://nodejs.org/api/net.html\nnow\n');
  });

  it('never breaks inside inline code', () => {
    expect(render('run `npm run grade lesson-1` now', 20)).toBe('run\n`npm run grade lesson-1`\nnow\n');
  });

  it('keeps a hard line break', () => {
    expect(render('first  \nsecond')).toBe('first\nsecond\n');
  });

  it('underlines first- and second-level headings', () => {
    expect(render('# Echo')).toBe('Echo\n════\n');
    expect(render('## Echo')).toBe('Echo\n────\n');
  });

  it('marks bullet items and indents their wrapped lines under the text', () => {
    expect(render('- alpha beta gamma delta\n- epsilon', 20)).toBe('• alpha beta gamma\n  delta\n• epsilon\n');
  });

  it('uses a different bullet for a nested list', () => {
    expect(render('- outer\n  - inner')).toBe('• outer\n  ◦ inner\n');
  });

  it('numbers ordered lists from their start and aligns two-digit numbers', () => {
    expect(render('9. nine\n10. ten')).toBe('9.  nine\n10. ten\n');
  });

  it('separates the items of a loose list with a blank line', () => {
    expect(render('1. one\n\n2. two')).toBe('1. one\n\n2. two\n');
  });

  it('puts code behind a gutter with its language, unwrapped', () => {
    const long = 'x'.repeat(50);
    expect(render(`\`\`\`ts\nconst a = '${long}';\n\`\`\``, 30)).toBe(`  ┌─ ts\n  │ const a = '${long}';\n`);
  });

  it('says when a code block is wrong on purpose or only part of a program', () => {
    expect(render('```ts wrong\nx\n```')).toContain('wrong on purpose');
    expect(render('```ts partial\nx\n```')).toContain('part of a program');
  });

  it('keeps blank lines and indentation inside code', () => {
    expect(render('```\na\n\n  b\n```')).toBe('  │ a\n  │\n  │   b\n');
  });

  it('prefixes block quotes', () => {
    expect(render('> quoted text')).toBe('│ quoted text\n');
  });

  it('shows links as text (url), and a bare URL once', () => {
    expect(render('[the docs](https://nodejs.org/api/net.html)')).toBe('the docs (https://nodejs.org/api/net.html)\n');
    expect(render('<https://nodejs.org/>')).toBe('https://nodejs.org/\n');
  });

  it('shows a link to another lesson as the command that reads it', () => {
    const text = renderLessonForTerminal('[lesson 2](02-echo-client.md)', { width: 80, paint: plain, linkTarget: terminalLinkTarget });
    expect(text).toBe('lesson 2 (npm run lesson 2)\n');
  });

  it('replaces pictures by their description and where to see them', () => {
    expect(render('![TCP call sequence](pictures/tcp.svg)')).toBe('[picture: TCP call sequence — see npm run site]\n');
  });

  it('lays out a table in aligned columns', () => {
    expect(render('| Python | Node |\n| --- | --- |\n| `recv()` | `data` |\n| `close()` | `end()` |')).toBe(
      'Python    │ Node\n──────────┼────────\n`recv()`  │ `data`\n`close()` │ `end()`\n',
    );
  });

  it('stacks a table that is too wide as "header: value" lines', () => {
    const table = '| Call | Meaning |\n| --- | --- |\n| bind | gives the socket its address and port |';
    expect(render(table, 25)).toBe('Call: bind\nMeaning: gives the socket\nits address and port\n');
  });

  it('draws a thematic break across the width', () => {
    expect(render('---', 20)).toBe(`${'─'.repeat(20)}\n`);
  });
});

describe('npm run lesson', () => {
  const written = course.find((lesson) => fs.existsSync(path.join(lessonsRoot, `${lesson.slug}.md`)));

  function capture(env: NodeJS.ProcessEnv, isTTY: boolean): { io: Io; out: () => string } {
    let text = '';
    const io: Io = { stdout: { write: (chunk: string) => (text += chunk), isTTY, columns: 60 }, stderr: { write: () => true }, env, cwd: repoRoot };
    return { io, out: () => text };
  }

  it('ends a lesson with its exercise, grade command and hint command, without colour under NO_COLOR', async (context) => {
    if (!written) return context.skip('no lesson text is written yet');
    const { io, out } = capture({ NO_COLOR: '1' }, true);
    expect(await lessonCommand([String(written.number)], io)).toBe(0);
    expect(out()).not.toMatch(/\u001b\[/);
    expect(out()).toContain(written.programs[0]!.start);
    expect(out().trimEnd().split('\n').slice(-2)).toEqual([
      `Check your work: \`npm run grade lesson-${written.number}\``,
      `Stuck? One hint at a time: \`npm run hint lesson-${written.number}\``,
    ]);
  });

  it('lists the lessons in order when no lesson is named', async () => {
    const { io, out } = capture({}, false);
    expect(await lessonCommand([], io)).toBe(0);
    const numbers = [...out().matchAll(/^ +(\d+) {2}/gm)].map((match) => Number(match[1]));
    expect(numbers).toEqual(course.map((lesson) => lesson.number));
  });
});
