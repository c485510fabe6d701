import { echoServerChecks } from './01-echo-server.ts';
import { echoClientChecks } from './02-echo-client.ts';
import type { LessonChecks } from './check.ts';

// Keyed by the course's slugs; test/course.test.ts proves every lesson has its checks.
export const lessonChecks: Readonly<Record<string, LessonChecks>> = {
  '01-echo-server': echoServerChecks,
  '02-echo-client': echoClientChecks,
};

export function checksFor(slug: string): LessonChecks {
  const checks = lessonChecks[slug];
  if (!checks) throw new Error(`no checks are registered for lesson ${slug}`);
  return checks;
}
