// Finds a lesson's grading: grader/checks/<slug>/index.ts exports it as `grading`. Lessons still
// written as one closure of checks are adapted here until they move into that shape.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { udpChecks } from './04-udp.ts';
import { multiplexingChecks } from './05-multiplexing.ts';
import { lookingAtSocketsChecks } from './06-looking-at-sockets.ts';
import type { Diagnosis, LessonChecks } from './check.ts';
import { defineLesson, scenario, type LessonGrading } from './lesson.ts';

export const checksRoot = path.dirname(fileURLToPath(import.meta.url));

/** One scenario whose session is the closure's fresh list of checks. */
function closureLesson(name: string, factory: LessonChecks, diagnoses: Readonly<Record<string, Diagnosis>> = {}): LessonGrading {
  const checks = factory().map(({ id, title, hint }, index) => ({
    id,
    title,
    hint,
    run: (context: Parameters<ReturnType<LessonChecks>[number]['run']>[0], session: ReturnType<LessonChecks>) => session[index]!.run(context),
  }));
  return defineLesson({ scenarios: [scenario(name, factory, checks)], diagnoses });
}

const closureLessons: Readonly<Record<string, LessonGrading>> = {
  '04-udp': closureLesson('the UDP server and client', udpChecks),
  '05-multiplexing': closureLesson('the multiplexing server', multiplexingChecks),
  '06-looking-at-sockets': closureLesson('the port checker', lookingAtSocketsChecks),
};

/** Where a lesson's grading lives. */
export function gradingFile(slug: string): string {
  return path.join(checksRoot, slug, 'index.ts');
}

export async function loadGrading(slug: string): Promise<LessonGrading> {
  const legacy = closureLessons[slug];
  if (legacy) return legacy;
  const file = gradingFile(slug);
  if (!fs.existsSync(file)) throw new Error(`lesson ${slug} has no grading: ${path.relative(process.cwd(), file)} is missing`);
  const loaded = (await import(pathToFileURL(file).href)) as { grading?: LessonGrading };
  if (!loaded.grading) throw new Error(`${file} does not export its grading as "grading"`);
  return loaded.grading;
}
