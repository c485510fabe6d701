import { EXIT } from './errors.ts';
import { processIo } from './io.ts';
import { main } from './main.ts';
import { stopAllPrograms } from './run/program.ts';

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

process.exitCode = await main(process.argv.slice(2), processIo());
