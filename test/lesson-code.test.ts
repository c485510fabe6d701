// Every ```ts block in a lesson compiles, under the repository's strict settings, as a module
// of its own; blocks marked `ts partial` or `ts wrong` are the only ones left out.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { course } from '../lessons/course.ts';
import { lessonsRoot, repoRoot } from '../grader/paths.ts';
import { parser, tsBlocks, type CodeBlock } from './helpers/lesson-blocks.ts';

const workRoot = path.join(repoRoot, 'test', '.work', 'lesson-code');

/** Each block as its own file; the diagnostics, worded with the lesson's file and line. */
function typeCheck(blocks: readonly CodeBlock[], folder: string): Map<CodeBlock, string[]> {
  fs.rmSync(folder, { recursive: true, force: true });
  const files = new Map<string, CodeBlock>();
  for (const block of blocks) {
    const file = path.join(folder, path.basename(block.lessonFile, '.md'), `line-${block.line}.ts`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, block.code);
    files.set(path.resolve(file), block);
  }
  const program = ts.createProgram([...files.keys()], compilerOptions());
  const found = new Map<CodeBlock, string[]>(blocks.map((block) => [block, []]));
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const block = diagnostic.file ? files.get(path.resolve(diagnostic.file.fileName)) : undefined;
    if (!block || diagnostic.start === undefined) {
      // A problem with no place in a block (the configuration, a missing type library) concerns them all.
      for (const list of found.values()) list.push(`TS${diagnostic.code}: ${message}`);
      continue;
    }
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
    // The fence is block.line, so the block's first line of code is the one after it.
    found.get(block)!.push(`${block.lessonFile}:${block.line + 1 + line}: TS${diagnostic.code}: ${message} (the ts block at line ${block.line})`);
  }
  return found;
}

function compilerOptions(): ts.CompilerOptions {
  const configFile = path.join(repoRoot, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, repoRoot, undefined, configFile);
  // Every block is a module of its own even without import or export, as if it were a file of its own.
  return { ...parsed.options, noEmit: true, moduleDetection: ts.ModuleDetectionKind.Force };
}

const lessonMarkdown = course
  .map((lesson) => ({ lesson, file: path.join(lessonsRoot, `${lesson.slug}.md`) }))
  .filter(({ file }) => fs.existsSync(file))
  .map(({ lesson, file }) => ({ lesson, lessonFile: `lessons/${lesson.slug}.md`, markdown: fs.readFileSync(file, 'utf8') }));
const allBlocks = lessonMarkdown.flatMap(({ markdown, lessonFile }) => tsBlocks(markdown, lessonFile));

describe('the lesson files', () => {
  it('are exactly the lessons of the course file', () => {
    const files = fs.readdirSync(lessonsRoot).filter((name) => name.endsWith('.md')).sort();
    expect(files).toEqual(course.map((lesson) => `${lesson.slug}.md`).sort());
  });

  // A closing fence with text after it ("``` With Linux's default…") does not close: the block
  // swallows the prose and the next fence, and the page shows them as code.
  it.each(lessonMarkdown.map(({ lessonFile, markdown }) => ({ lessonFile, markdown })))('$lessonFile closes every code block with a bare fence', ({ lessonFile, markdown }) => {
    const swallowed = parser
      .parse(markdown, {})
      .filter((token) => token.type === 'fence' && /^\s*(?:```|~~~)/m.test(token.content))
      .map((token) => `${lessonFile}:${token.map![0] + 1}: a fence inside this code block: ${token.content.split('\n').find((line) => /^\s*(?:```|~~~)/.test(line))}`);
    expect(swallowed).toEqual([]);
  });

  it.each(lessonMarkdown.map(({ lessonFile, markdown }) => ({ lessonFile, markdown })))('$lessonFile shows only pictures that exist', ({ lessonFile, markdown }) => {
    const sources = parser
      .parse(markdown, {})
      .flatMap((token) => token.children ?? [])
      .filter((token) => token.type === 'image')
      .map((token) => token.attrGet('src') ?? '');
    for (const source of sources) {
      expect(/^[a-z]+:|^\//i.test(source), `${lessonFile}: ${source} is a relative path`).toBe(false);
      expect(fs.existsSync(path.join(lessonsRoot, source)), `${lessonFile}: ${source} exists in lessons/`).toBe(true);
    }
  });
});

describe('the ts code blocks of the lessons', () => {
  let problems = new Map<CodeBlock, string[]>();

  beforeAll(() => {
    problems = typeCheck(allBlocks.filter((block) => block.verdict === 'compile'), workRoot);
  }, 120_000);

  it('leave out only blocks marked exactly `ts partial` or `ts wrong`', () => {
    for (const block of allBlocks.filter((candidate) => candidate.verdict !== 'compile')) {
      expect(block.info, `${block.lessonFile}:${block.line}: the markers are "partial" and "wrong"`).toMatch(/^(?:ts|typescript) (?:partial|wrong)$/i);
    }
  });

  it.each(lessonMarkdown.map(({ lessonFile }) => lessonFile))('in %s compile as standalone strict modules', (lessonFile) => {
    const messages = allBlocks.filter((block) => block.lessonFile === lessonFile).flatMap((block) => problems.get(block) ?? []);
    expect(messages.join('\n')).toBe('');
  });
});

describe('the block checker itself', () => {
  const sample = [
    '# Sample', // 1
    '', // 2
    '```ts', // 3
    "import net from 'node:net';", // 4
    'const server: net.Server = net.createServer();', // 5
    'server.close();', // 6
    '```', // 7
    '', // 8
    '```typescript', // 9
    'const port: number = "65432";', // 10
    '```', // 11
    '', // 12
    '```ts wrong', // 13
    'const port: number = "65432";', // 14
    '```', // 15
    '', // 16
    '```ts partial', // 17
    'socket.write(reply);', // 18
    '```', // 19
    '', // 20
    '```ts parital', // 21
    'x', // 22
    '```', // 23
    '', // 24
    '```sh', // 25
    'npm test', // 26
    '```', // 27
    '', // 28
    '- in a list:', // 29
    '', // 30
    '  ```ts', // 31
    '  const top = 1;', // 32
    '  ```', // 33
  ].join('\n');
  const blocks = tsBlocks(sample, 'lessons/sample.md');

  it('finds ts and typescript blocks, with the line of their fence, even inside a list', () => {
    expect(blocks.map((block) => [block.line, block.verdict])).toEqual([
      [3, 'compile'],
      [9, 'compile'],
      [13, 'skip'],
      [17, 'skip'],
      [21, 'bad marker'],
      [31, 'compile'],
    ]);
  });

  it('names the lesson file, the line and the compiler message of an error, and passes good code', () => {
    const found = typeCheck(blocks.filter((block) => block.verdict === 'compile'), path.join(workRoot, '..', 'lesson-code-sample'));
    const messages = [...found.values()];
    expect(messages[0]).toEqual([]);
    expect(messages[1]).toEqual([
      "lessons/sample.md:10: TS2322: Type 'string' is not assignable to type 'number'. (the ts block at line 9)",
    ]);
    // Two blocks declaring the same name do not collide: each is a module of its own.
    expect(messages[2]).toEqual([]);
  }, 120_000);
});
