// Dispatches a command and turns every expected error into a one-line message and an
// exit code. Only cli.ts calls process.exit.
import { UnknownLessonError } from '../lessons/course.ts';
import type { Command } from './commands/define.ts';
import { EXIT, UsageError } from './errors.ts';
import { writeLines, type Io } from './io.ts';


// Each command loads only when it is called: `npm run grade` should not pay for the bench's,
// the site's or the class runner's imports before it starts.
const commands: Readonly<Record<string, () => Promise<Command<never>>>> = {
  grade: async () => (await import('./commands/grade.ts')).gradeCommand,
  class: async () => (await import('./commands/class.ts')).classCommand,
  hint: async () => (await import('./commands/hint.ts')).hintCommand,
  compare: async () => (await import('./commands/compare.ts')).compareCommand,
  reset: async () => (await import('./commands/reset.ts')).resetCommand,
  restore: async () => (await import('./commands/restore.ts')).restoreCommand,
  stress: async () => (await import('./commands/stress.ts')).stressCommand,
  watch: async () => (await import('./commands/watch.ts')).watchCommand,
  workflow: async () => (await import('./commands/workflow.ts')).workflowCommand,
  lesson: async () => (await import('./commands/lesson.ts')).lessonCommand,
  observe: async () => (await import('./commands/observe.ts')).observeCommand,
  site: async () => (await import('./commands/site.ts')).siteCommand,
  sync: async () => (await import('./commands/sync.ts')).syncCommand,
  bench: async () => (await import('./commands/bench.ts')).benchCommand,
};

/** Every command, for tests that hold each to the same rules. */
export const commandNames = Object.keys(commands);

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name = 'grade', ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') return listCommands(io);
  const load = commands[name];
  if (!load) {
    writeLines(io.stderr, [`unknown command "${name}": expected one of ${Object.keys(commands).join(', ')}`]);
    return EXIT.usage;
  }
  const command = await load();
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

/** `cli.ts --help`: every command with what it does; each has its own --help. */
async function listCommands(io: Io): Promise<number> {
  const loaded = await Promise.all(Object.entries(commands).map(async ([name, load]) => [name, await load()] as const));
  const width = Math.max(...loaded.map(([name]) => name.length));
  writeLines(io.stdout, [
    'Usage: node --import tsx grader/cli.ts COMMAND [ARGUMENTS] (the npm scripts in the README run these)',
    '',
    ...loaded.map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`),
    '',
    'Each command explains itself with --help, e.g. npm run grade -- --help.',
  ]);
  return EXIT.pass;
}

/** parseArgs reports unknown or malformed options with these codes. */
function isArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  return code.startsWith('ERR_PARSE_ARGS');
}
