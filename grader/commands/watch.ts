import path from 'node:path';
import { parseArgs } from 'node:util';
import { course, findLesson } from '../../lessons/course.ts';
import { EXIT, UsageError } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';
import { colorEnabled, painter } from '../report/paint.ts';
import { resolveSource } from '../source.ts';
import { watchFolder } from '../watcher.ts';
import { gradeCommand } from './grade.ts';

export interface WatchControl {
  /** Stops watching; the command then returns. */
  readonly signal?: AbortSignal;
  /** Called after each grading, with its exit code (tests use it to follow along). */
  readonly onGraded?: (exitCode: number) => void;
}

/** `npm run watch lesson-3`: re-grades on every save of the lesson's files, until Ctrl-C. */
export async function watchCommand(argv: readonly string[], io: Io, control: WatchControl = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { dir: { type: 'string' }, seed: { type: 'string' }, poll: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('expected one lesson: npm run watch lesson-3');
  const lesson = findLesson(positionals[0]!);
  const source = resolveSource({ dir: values.dir }, io.cwd);
  const folder = path.join(source.root, lesson.slug);
  const paint = painter(colorEnabled(io.stdout, io.env));
  const gradeArgs = [String(lesson.number), ...source.args, ...(values.seed ? ['--seed', values.seed] : [])];

  let running = false;
  let again = false;
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
      const code = await gradeCommand(gradeArgs, io);
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
