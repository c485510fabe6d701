// The child grader of a class run (started by run.ts; not a learner's command): one process per
// student, so the course's start is paid once per student rather than once per lesson.
//   node --import tsx grader/class/child.ts --dir DIR --lesson N:SEED [--lesson N:SEED …] [--sandbox] [--at-once K]
import { parseArgs } from 'node:util';
import { findLesson, type Lesson } from '../../lessons/course.ts';
import { EXIT } from '../errors.ts';
import { stopProgramsOnExit } from '../exit-handlers.ts';
import { encodeEvent } from './child-events.ts';
import { gradeStudentLessons } from './student-lessons.ts';

function parseLesson(raw: string): { lesson: Lesson; seed: number } {
  const [name = '', seed = ''] = raw.split(':');
  if (!/^\d+$/.test(seed)) throw new Error(`--lesson ${raw}: expected N:SEED`);
  return { lesson: findLesson(name), seed: Number(seed) };
}

async function childMain(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { dir: { type: 'string' }, lesson: { type: 'string', multiple: true }, sandbox: { type: 'boolean' }, 'at-once': { type: 'string' } },
    strict: true,
  });
  if (!values.dir || !values.lesson?.length) throw new Error('needs --dir and at least one --lesson');
  return gradeStudentLessons({
    root: values.dir,
    lessons: values.lesson.map(parseLesson),
    sandbox: values.sandbox === true,
    atOnce: Math.max(1, Number(values['at-once'] ?? 1) || 1),
    emit: (event) => process.stdout.write(encodeEvent(event)),
  });
}

stopProgramsOnExit();
try {
  process.exitCode = await childMain(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`class child grader: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = EXIT.usage;
}
