// A stand-in for grader/class/child.ts that misbehaves on purpose, to show what the class runner
// believes. argv: BEHAVIOUR --dir D --at-once K --lesson N:SEED …; it grades nothing, and reports
// every lesson as failed with one check passed of two.
import { parseArgs } from 'node:util';
import { findLesson } from '../../lessons/course.ts';

const [behaviour, ...rest] = process.argv.slice(2);
const { values } = parseArgs({ args: rest, options: { dir: { type: 'string' }, 'at-once': { type: 'string' }, lesson: { type: 'string', multiple: true }, sandbox: { type: 'boolean' } } });
const lessons = (values.lesson ?? []).map((raw) => ({ lesson: findLesson(raw.split(':')[0]!), seed: Number(raw.split(':')[1]) }));
const say = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);
const result = (slug: string, number: number, seed: number) => ({
  version: 2, status: 'fail', lesson: { number, slug, title: 't' }, seed, host: '127.0.0.1', duration_ms: 1, score: 1, max_score: 2,
  tests: [
    { name: 'a', id: 'a', status: 'pass', message: '', transcript: [], output: '', duration_ms: 1 },
    { name: 'b', id: 'b', status: 'fail', message: 'it failed', transcript: [], output: '', duration_ms: 1 },
  ],
});

lessons.forEach(({ lesson, seed }, index) => {
  if (behaviour === 'hangs-on-second' && index === 1) {
    say({ started: lesson.slug });
    setInterval(() => {}, 1000);
    return;
  }
  if (behaviour === 'hangs-on-second' && index > 1) return;
  if (behaviour !== 'reports-unstarted') say({ started: lesson.slug });
  if (behaviour === 'prints-other-text') process.stdout.write('all checks passed!\n');
  say({ result: result(lesson.slug, lesson.number, behaviour === 'wrong-seed' && index === 0 ? seed + 1 : seed) });
});
process.exitCode = behaviour === 'exits-zero' ? 0 : 1;
