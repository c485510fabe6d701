// Dispatches a command and turns every expected error into a one-line message and an
// exit code. Only cli.ts calls process.exit.
import { UnknownLessonError } from '../lessons/course.ts';
import { benchCommand } from './commands/bench.ts';
import { classCommand } from './commands/class.ts';
import { compareCommand } from './commands/compare.ts';
import { gradeCommand } from './commands/grade.ts';
import { hintCommand } from './commands/hint.ts';
import { resetCommand } from './commands/reset.ts';
import { restoreCommand } from './commands/restore.ts';
import { stressCommand } from './commands/stress.ts';
import { syncCommand } from './commands/sync.ts';
import { watchCommand } from './commands/watch.ts';
import { workflowCommand } from './commands/workflow.ts';
import { lessonCommand } from './commands/lesson.ts';
import { observeCommand } from './commands/observe.ts';
import { siteCommand } from './commands/site.ts';
import type { Command } from './commands/define.ts';
import { EXIT, UsageError } from './errors.ts';
import { writeLines, type Io } from './io.ts';


const commands: Readonly<Record<string, Command<never>>> = {
  grade: gradeCommand,
  class: classCommand,
  hint: hintCommand,
  compare: compareCommand,
  reset: resetCommand,
  restore: restoreCommand,
  stress: stressCommand,
  watch: watchCommand,
  workflow: workflowCommand,
  lesson: lessonCommand,
  observe: observeCommand,
  site: siteCommand,
  sync: syncCommand,
  bench: benchCommand,
};

/** Every command, for tests that hold each to the same rules. */
export const commandNames = Object.keys(commands);

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
      const help = command.invocation.endsWith('--') ? `${command.invocation} --help` : `${command.invocation} -- --help`;
      // parseArgs goes on about positionals that start with '-': the first sentence is the fact.
      const message = (error as Error).message.split('. To specify a positional')[0];
      writeLines(io.stderr, [`${name}: ${message} (usage: ${help})`]);
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
