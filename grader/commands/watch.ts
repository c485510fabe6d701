import path from 'node:path';
import { course, findLesson } from '../../lessons/course.ts';
import { EXIT } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';
import { defineCommand, type OptionSpec } from './define.ts';
import { colorEnabled, painter } from '../report/paint.ts';
import { resolveSource } from '../source.ts';
import { watchFolder } from '../watcher.ts';
import { BUILT_IN_CHECKS, type LessonResult } from '../grade.ts';
import { gradeCommand } from './grade.ts';

export interface WatchControl {
  /** Stops watching; the command then returns. */
  readonly signal?: AbortSignal;
  /** Called after each grading, with its exit code (tests use it to follow along). */
  readonly onGraded?: (exitCode: number) => void;
}

/** `npm run watch lesson-3`: re-grades on every save of the lesson's files, until Ctrl-C. */
const watchOptions = {
  dir: { type: 'string', value: 'PATH', description: 'watch another copy laid out like exercises/' },
  seed: { type: 'string', value: 'N', description: 'grade with this seed every time' },
  poll: { type: 'boolean', description: 'poll for changes instead of fs.watch (network drives, some containers)' },
} as const satisfies Record<string, OptionSpec>;

export const watchCommand = defineCommand<typeof watchOptions, WatchControl>({
  invocation: 'npm run watch',
  summary: "Grades a lesson again on every save of its files, until Ctrl-C.",
  positionals: { usage: 'lesson-N', min: 1, max: 1 },
  options: watchOptions,
  run: ({ values, positionals }, io, control) => watchLesson(values, positionals[0]!, io, control ?? {}),
});

async function watchLesson(values: { dir?: string; seed?: string; poll?: boolean }, name: string, io: Io, control: WatchControl): Promise<number> {
  const lesson = findLesson(name);
  const source = resolveSource({ dir: values.dir }, io.cwd);
  const folder = path.join(source.root, lesson.slug);
  const paint = painter(colorEnabled(io.stdout, io.env));
  const gradeArgs = [String(lesson.number), ...source.args, ...(values.seed ? ['--seed', values.seed] : [])];

  let running = false;
  let again = false;
  // The first check that failed last time: after a save it runs first, alone, for fast feedback.
  let failing: string | undefined;
  const onResult = (result: LessonResult) => {
    if (result.only && result.status === 'pass') return;
    failing = result.checks.find((check) => check.status === 'fail' && !BUILT_IN_CHECKS.has(check.id))?.id;
  };
  const gradeOnce = async (): Promise<number> => {
    if (failing) {
      const code = await gradeCommand([...gradeArgs, '--check', failing], io, { onResult });
      if (code !== EXIT.pass) {
        writeLines(io.stdout, [paint('dim', 'The rest of the lesson is graded once this check passes.')]);
        return code;
      }
      writeLines(io.stdout, [paint('dim', 'Fixed. Now the whole lesson:'), '']);
    }
    return gradeCommand(gradeArgs, io, { onResult });
  };
  const grade = async (why: string): Promise<void> => {
    if (running) {
      again = true; // saved during a run: grade once more when it ends
      return;
    }
    running = true;
    do {
      again = false;
      if (io.stdout.isTTY) io.stdout.write('\x1b[2J\x1b[H'); // clear screen, cursor home
      writeLines(io.stdout, [paint('dim', `${new Date().toLocaleTimeString()} ${why}`)]);
      const code = await gradeOnce();
      const next = course.find((candidate) => candidate.number === lesson.number + 1);
      if (code === EXIT.pass) {
        writeLines(io.stdout, [paint('green', next ? `Lesson ${lesson.number} passes. Move on: npm run watch lesson-${next.number}` : 'The last lesson passes.')]);
      }
      writeLines(io.stdout, [paint('dim', `Watching ${path.relative(io.cwd, folder) || folder} for changes (${watcher.mode}). Ctrl-C stops.`)]);
      control.onGraded?.(code);
    } while (again);
    running = false;
  };

  const watcher = watchFolder(folder, (file) => void grade(`${path.basename(file)} changed`), { poll: values.poll });
  await grade('first run');
  // Without a signal this waits until Ctrl-C, which cli.ts turns into a clean exit.
  await new Promise<void>((resolve) => {
    if (control.signal?.aborted) return resolve();
    control.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  watcher.close();
  return EXIT.pass;
}
