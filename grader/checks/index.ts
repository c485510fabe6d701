// Finds a lesson's grading: grader/checks/<slug>/index.ts exports it as `grading`, so a new
// lesson needs no entry in any list.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LessonGrading } from './lesson.ts';

export const checksRoot = path.dirname(fileURLToPath(import.meta.url));

/** Where a lesson's grading lives. */
export function gradingFile(slug: string): string {
  return path.join(checksRoot, slug, 'index.ts');
}

export async function loadGrading(slug: string): Promise<LessonGrading> {
  const file = gradingFile(slug);
  if (!fs.existsSync(file)) throw new Error(`lesson ${slug} has no grading: ${path.relative(process.cwd(), file)} is missing`);
  const loaded = (await import(pathToFileURL(file).href)) as { grading?: LessonGrading };
  if (!loaded.grading) throw new Error(`${file} does not export its grading as "grading"`);
  return loaded.grading;
}
