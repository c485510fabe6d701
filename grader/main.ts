// Dispatches a command and turns every expected error into a one-line message and an
// exit code. Only cli.ts calls process.exit.
import { UnknownLessonError } from '../lessons/course.ts';
import { classCommand } from './commands/class.ts';
import { compareCommand } from './commands/compare.ts';
import { gradeCommand } from './commands/grade.ts';
import { hintCommand } from './commands/hint.ts';
import { resetCommand } from './commands/reset.ts';
import { stressCommand } from './commands/stress.ts';
import { watchCommand } from './commands/watch.ts';
import { workflowCommand } from './commands/workflow.ts';
import { lessonCommand } from './commands/lesson.ts';
import { siteCommand } from './commands/site.ts';
import { EXIT, UsageError } from './errors.ts';
import { writeLines, type Io } from './io.ts';

type Command = (argv: readonly string[], io: Io) => Promise<number> | number;

const commands: Readonly<Record<string, Command>> = {
  grade: gradeCommand,
  class: classCommand,
  hint: hintCommand,
  compare: compareCommand,
  reset: resetCommand,
  stress: stressCommand,
  watch: watchCommand,
  workflow: workflowCommand,
  lesson: lessonCommand,
  site: siteCommand,
};

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name = 'grade', ...rest] = argv;
  const command = commands[name];
  if (!command) {
    writeLines(io.stderr, [`unknown command "${name}": expected one of ${Object.keys(commands).join(', ')}`]);
    return EXIT.usage;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnknownLessonError || isArgsError(error)) {
      writeLines(io.stderr, [`${name}: ${(error as Error).message}`]);
      return EXIT.usage;
    }
    writeLines(io.stderr, [`${name}: internal error (a bug in the course tools): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`]);
    return EXIT.graderError;
  }
}

/** parseArgs reports unknown or malformed options with these codes. */
function isArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  return code.startsWith('ERR_PARSE_ARGS');
}
