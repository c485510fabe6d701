import { echoServerChecks } from './01-echo-server.ts';
import { echoClientChecks } from './02-echo-client.ts';
import { framingChecks } from './03-framing.ts';
import { udpChecks } from './04-udp.ts';
import { multiplexingChecks } from './05-multiplexing.ts';
import { lookingAtSocketsChecks } from './06-looking-at-sockets.ts';
import type { Diagnosis, LessonChecks } from './check.ts';
import { diagnoses as echoServerDiagnoses } from './01-echo-server/diagnoses.ts';
import { diagnoses as echoClientDiagnoses } from './02-echo-client/diagnoses.ts';

// Keyed by the course's slugs; test/course.test.ts proves every lesson has its checks.
export const lessonChecks: Readonly<Record<string, LessonChecks>> = {
  '01-echo-server': echoServerChecks,
  '02-echo-client': echoClientChecks,
  '03-framing': framingChecks,
  '04-udp': udpChecks,
  '05-multiplexing': multiplexingChecks,
  '06-looking-at-sockets': lookingAtSocketsChecks,
};

export function checksFor(slug: string): LessonChecks {
  const checks = lessonChecks[slug];
  if (!checks) throw new Error(`no checks are registered for lesson ${slug}`);
  return checks;
}

// The mistakes each lesson's checks can name; its catalogue shows a wrong program for each.
// Lessons not listed still give hints without ids.
export const lessonDiagnoses: Readonly<Record<string, Readonly<Record<string, Diagnosis>>>> = {
  '01-echo-server': echoServerDiagnoses,
  '02-echo-client': echoClientDiagnoses,
};
