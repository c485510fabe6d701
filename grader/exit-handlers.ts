// What every grader process does on its way out, whoever ends it: no learner process and no
// bound port outlives it.
import { EXIT } from './errors.ts';
import { stopAllPrograms } from './run/program.ts';

export function stopProgramsOnExit(): void {
  // Ctrl-C, or a class run's time limit: stop every learner process before leaving, so no port stays bound.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stopAllPrograms().finally(() => process.exit(EXIT.interrupted));
    });
  }
  // A reader that went away (`npm run grade lesson-3 | head`) is no reason for a stack trace:
  // stop the programs and leave quietly, as head's other writers do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      void stopAllPrograms().finally(() => process.exit(EXIT.interrupted));
    });
  }
}
