import { stopProgramsOnExit } from './exit-handlers.ts';
import { processIo } from './io.ts';
import { main } from './main.ts';

stopProgramsOnExit();
process.exitCode = await main(process.argv.slice(2), processIo());
