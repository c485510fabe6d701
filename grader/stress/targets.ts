// What the stress command grades again and again: each lesson's solution and, with
// --catalogue, every program of the lesson's catalogue, each with the result it must give.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Lesson } from '../../lessons/course.ts';
import { repoRoot, solutionsRoot } from '../paths.ts';

export interface StressTarget {
  readonly label: string;
  readonly lesson: Lesson;
  /** Files laid over the solution (the solution's own folder for the solution). */
  readonly programDir: string;
  /** "pass", or "fail at CHECK-ID". */
  readonly expected: string;
  /** What the failing check's hint must match, for a catalogued mistake. */
  readonly hint?: RegExp;
  readonly ipv6?: boolean;
}

interface CatalogueShape {
  readonly wrong: readonly { readonly name: string; readonly failsAt: string; readonly hint: RegExp; readonly ipv6?: boolean }[];
  readonly right: readonly { readonly name: string; readonly ipv6?: boolean }[];
}

export function solutionTarget(lesson: Lesson): StressTarget {
  return { label: `lesson-${lesson.number} solution`, lesson, expected: 'pass', programDir: path.join(solutionsRoot, lesson.slug) };
}

export async function catalogueTargets(lesson: Lesson): Promise<StressTarget[]> {
  const fixtures = path.join(repoRoot, 'test', 'fixtures', lesson.slug);
  const file = path.join(fixtures, 'catalogue.ts');
  if (!fs.existsSync(file)) return [];
  const { catalogue } = (await import(pathToFileURL(file).href)) as { catalogue: CatalogueShape };
  return [
    ...catalogue.wrong.map((entry) => ({
      label: `lesson-${lesson.number} wrong/${entry.name}`,
      lesson,
      programDir: path.join(fixtures, 'wrong', entry.name),
      expected: `fail at ${entry.failsAt}`,
      hint: entry.hint,
      ipv6: entry.ipv6,
    })),
    ...catalogue.right.map((entry) => ({
      label: `lesson-${lesson.number} right/${entry.name}`,
      lesson,
      programDir: path.join(fixtures, 'right', entry.name),
      expected: 'pass',
      ipv6: entry.ipv6,
    })),
  ];
}
