// `npm run observe`: the grader sets up real sockets on loopback in the states lesson 6 teaches
// and asks about them; the learner answers with ss, netstat and lsof, and each answer is checked
// against the kernel's own view (/proc/net/tcp, /proc/PID/fd) at that moment.
import { EXIT } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';
import { randomSeed } from '../net/random.ts';
import { AnswerReader } from '../observe/answers.ts';
import { ANSWER_MS, ask } from '../observe/ask.ts';
import { planObservation } from '../observe/plan.ts';
import { setUpSockets, type ObservedSockets } from '../observe/sockets.ts';
import { missingKernelView } from '../observe/tcp-table.ts';
import { recordObservationPassed } from '../progress.ts';
import { DeadlineError, scaled } from '../run/deadline.ts';
import { parseSeed } from '../source.ts';
import { defineCommand } from './define.ts';

export interface ObserveExtra {
  /** Where the answers come from (default: stdin). */
  readonly input?: NodeJS.ReadableStream;
}

export const observeCommand = defineCommand({
  invocation: 'npm run observe',
  summary: 'Sets up sockets in the states lesson 6 teaches and asks about them; answer with ss, netstat and lsof (Linux).',
  options: {
    seed: { type: 'string', value: 'N', description: 'repeat a run: the host, the ports asked about and every state come from the seed' },
  },
  footer: 'One answer per line on stdin. Exit codes: 0 every answer right (recorded in your progress), 1 an answer wrong, 2 not Linux or stdin ended, 3 setting up failed.',
  run: ({ values }, io, extra?: ObserveExtra) => observe(parseSeed(values.seed) ?? randomSeed(), io, extra?.input ?? process.stdin),
});

async function observe(seed: number, io: Io, input: NodeJS.ReadableStream): Promise<number> {
  const missing = missingKernelView();
  if (missing) {
    writeLines(io.stderr, [`observe: ${missing}`]);
    return EXIT.usage;
  }
  const plan = planObservation(seed);
  const repeat = `npm run observe -- --seed ${seed}`;
  writeLines(io.stdout, [
    `Observing sockets on ${plan.host} (seed ${seed}; ${repeat} repeats this run).`,
    'Setting up a listener, an established connection, a full accept queue and a stalled send queue (the TIME-WAIT comes with its question)...',
  ]);
  const interrupted = () => writeLines(io.stderr, ['observe: interrupted: stopping its processes and closing its sockets']);
  process.once('SIGINT', interrupted);
  let sockets: ObservedSockets | undefined;
  const reader = new AnswerReader(input);
  try {
    try {
      sockets = await setUpSockets(plan, { readyMs: scaled(10_000), lifetimeMs: scaled(ANSWER_MS) * 6 });
    } catch (error) {
      writeLines(io.stderr, [`observe: could not set up the sockets (seed ${seed}): ${error instanceof Error ? error.message : String(error)}`]);
      return EXIT.graderError;
    }
    writeLines(io.stdout, ['Ready. Look at the sockets from another terminal and type each answer here, on one line.']);
    let right = 0;
    const { questions } = sockets;
    for (const [index, question] of questions.entries()) {
      const outcome = await ask(question, index, questions.length, reader, io);
      if (outcome === 'closed') {
        io.stdout.write('\n');
        writeLines(io.stderr, [`observe: stdin ended before the answer to question ${index + 1}: stopping; nothing recorded (seed ${seed})`]);
        return EXIT.usage;
      }
      if (outcome === 'right') right++;
    }
    const all = right === questions.length;
    if (all) recordObservationPassed(seed);
    writeLines(io.stdout, [
      '',
      all ? `All ${right} answers right: recorded in your progress (npm run grade).` : `${right} of ${questions.length} right (seed ${seed}): run ${repeat} to try the same sockets again, or npm run observe for new ones.`,
    ]);
    return all ? EXIT.pass : EXIT.fail;
  } catch (error) {
    if (!(error instanceof DeadlineError)) throw error;
    writeLines(io.stderr, [`observe: ${error.message}: stopping; nothing recorded (seed ${seed})`]);
    return EXIT.fail;
  } finally {
    reader.close();
    await sockets?.cleanUp();
    process.removeListener('SIGINT', interrupted);
  }
}
