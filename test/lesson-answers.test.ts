// A lesson text teaches; it does not hand over the answer. No ts block of a lesson, laid over one
// of the lesson's files (the other files being the reference solution's), passes the lesson.
// Blocks of every marker are tried: a complete program marked `partial` counts too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { course, type Lesson } from '../lessons/course.ts';
import { lessonsRoot } from '../grader/paths.ts';
import { gradeVariant } from '../grader/variant.ts';
import { describe as describeResult } from './helpers/grade.ts';
import { tsBlocks, type CodeBlock } from './helpers/lesson-blocks.ts';

interface Candidate {
  readonly lesson: Lesson;
  readonly block: CodeBlock;
  readonly file: string;
}

/**
 * The blocks that could stand in for a file. A program can only reach the grader's HOST and
 * PORT through process.env, so a block that never reads it cannot pass as a program; a module
 * (lesson 3's framing.ts) is reached through its exports.
 */
export function candidates(lesson: Lesson, markdown: string): Candidate[] {
  const blocks = tsBlocks(markdown, `lessons/${lesson.slug}.md`);
  const programs = lesson.programs.map((program) => program.file);
  return blocks.flatMap((block) => [
    ...(block.code.includes('process.env') ? programs.map((file) => ({ lesson, block, file })) : []),
    ...(/\bexport\b/.test(block.code) ? (lesson.modules ?? []).map((file) => ({ lesson, block, file })) : []),
  ]);
}

const all = course.flatMap((lesson) => candidates(lesson, fs.readFileSync(path.join(lessonsRoot, `${lesson.slug}.md`), 'utf8')));

describe('the lesson texts do not hand over the answer', () => {
  it('find the blocks that could stand in for a file', () => {
    const program = candidates(course[0]!, '```ts\nconst PORT = Number(process.env.PORT);\n```\n\n```ts\nexport const x = 1;\n```\n');
    expect(program.map((candidate) => candidate.file)).toEqual(['server.ts']);
    const framing = course.find((lesson) => lesson.modules?.length)!;
    const module = candidates(framing, '```ts partial\nexport class FrameDecoder {}\n```\n');
    expect(module.map((candidate) => candidate.file)).toEqual(framing.modules);
  });

  it.concurrent.each(all.map((candidate) => ({ ...candidate, name: `${candidate.block.lessonFile}:${candidate.block.line} as ${candidate.file}` })))(
    '$name does not pass its lesson',
    async ({ lesson, block, file }) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lesson-answer-'));
      try {
        fs.writeFileSync(path.join(dir, file), block.code);
        const result = await gradeVariant(lesson, dir, 17);
        expect(result.status, `the block at ${block.lessonFile}:${block.line}, used as ${file}, passes lesson ${lesson.number}:\n${describeResult(result)}`).not.toBe('pass');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
