import { stopProgramsOnExit } from './exit-handlers.ts';
import { processIo } from './io.ts';
import { main } from './main.ts';

stopProgramsOnExit();
const code = await main(process.argv.slice(2), processIo());
// Every program is stopped by now: a timer some check left pending must not keep the learner
// waiting after the result is out. Exit once what was written reached stdout and stderr.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((written) => stream.write('', written))));
process.exit(code);
