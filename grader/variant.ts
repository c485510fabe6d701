// Grades a set of files laid over the reference solution of a lesson: how the catalogue of
// wrong and alternative programs is graded, by the tests and by the stress command.
import fs from 'node:fs';
import path from 'node:path';
import type { Lesson } from '../lessons/course.ts';
import { gradeLesson, type LessonResult } from './grade.ts';
import { repoRoot, solutionsRoot } from './paths.ts';

// Inside the repository, so the copy runs as ESM exactly like a learner's exercises/.
const workRoot = path.join(repoRoot, 'test', '.work');

export async function gradeVariant(lesson: Lesson, programDir: string, seed: number, options: { readonly ipv6?: boolean } = {}): Promise<LessonResult> {
  fs.mkdirSync(workRoot, { recursive: true });
  const root = fs.mkdtempSync(path.join(workRoot, `${lesson.slug}-`));
  try {
    const target = path.join(root, lesson.slug);
    fs.cpSync(path.join(solutionsRoot, lesson.slug), target, { recursive: true });
    fs.cpSync(programDir, target, { recursive: true });
    // Both callers judge the first failure, which bail leaves as it is and reaches sooner.
    return await gradeLesson({ lesson, root, seed, ipv6: options.ipv6, bail: true });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
