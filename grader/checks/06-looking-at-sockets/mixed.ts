// Lesson 6: twenty ports in one run, open, closed and (on Linux) one unanswered, then again
// after the grader flipped some: lines in argument order, every "open" a real connection,
// every run a fresh look. The second run leaves the unanswered port out: the first judged it,
// and waiting out its 2 s again would double the scenario's time.
import type { CheckContext } from '../check.ts';
import type { Random } from '../../net/random.ts';
import { MIX_SIZE, RUN_MS } from './contract.ts';
import { anyLeftOpen, expectExitAfterAnswers } from './ending.ts';
import { expectMix, type Mix } from './mix.ts';
import { claim, expectConnected, openPort } from './open-port.ts';
import { startChecker, untilLinesOrExit, type Run } from './run.ts';
import type { TwentyPortsCheck } from './session.ts';
import { canDropSyns, listenDroppingSyns } from '../shared/dropping-listener.ts';

/** The ports of the first run: the first and the last open, every fifth from the second closed, one unanswered on Linux, the rest at random. */
async function makeMix(context: CheckContext, random: Random): Promise<Mix> {
  const mix: Mix = { ports: [], states: new Map(), servers: new Map() };
  const timeoutAt = canDropSyns ? random.int(1, MIX_SIZE / 2) : -1;
  for (let i = 0; i < MIX_SIZE; i++) {
    const port = await context.freePort();
    mix.ports.push(port);
    if (i === timeoutAt) {
      await listenDroppingSyns(context, port);
      mix.states.set(port, 'timeout');
    } else if (i % 5 === 0 || i === MIX_SIZE - 1 || (i % 5 !== 1 && random.chance(0.5))) {
      // The first and the last are always open, every fifth from the second closed: an
      // exit code taken from one end only is wrong on every seed.
      mix.servers.set(port, await openPort(context, port, 'greeting'));
      mix.states.set(port, 'open');
    } else {
      mix.states.set(port, 'closed');
    }
  }
  return mix;
}

/** Closes some open ports and opens some closed ones, on the same numbers; returns the ports flipped. */
async function flip(context: CheckContext, mix: Mix, random: Random): Promise<Set<number>> {
  const changed = new Set<number>();
  for (const port of mix.ports) {
    const state = mix.states.get(port);
    if (state === 'timeout' || !random.chance(0.4)) continue;
    if (state === 'open') {
      await mix.servers.get(port)!.close();
      mix.states.set(port, 'closed');
    } else {
      mix.servers.set(port, await openPort(context, port, 'greeting'));
      mix.states.set(port, 'open');
    }
    changed.add(port);
  }
  return changed;
}

const described = (mix: Mix) => mix.ports.map((port) => `${port} ${mix.states.get(port)}`).join(', ');

/** One run of the checker over the mix as it is now, judged whole. */
async function checkMix(context: CheckContext, mix: Mix, round: string, changed: ReadonlySet<number>): Promise<Run> {
  const claims = mix.ports.filter((port) => mix.states.get(port) === 'open').map((port) => claim(port, mix.servers.get(port)!));
  const run = startChecker(context, mix.ports.map(String));
  expectMix(context, run, await untilLinesOrExit(run, mix.ports.length, context.ms(RUN_MS)), mix, round, changed);
  await expectConnected(context, run, claims);
  await expectExitAfterAnswers(context, run, anyLeftOpen(mix.servers.values()));
  return run;
}

export const mixedCheck: TwentyPortsCheck = {
  id: 'argument-order',
  title: `reports ${MIX_SIZE} open and closed ports in argument order, and again after the grader flipped some`,
  hint: 'Print one line per argument, in the order of the arguments, and connect afresh on every run.',
  async run(context, session) {
    const random = context.random('mix');
    const mix = await makeMix(context, random);
    context.transcript.note('grader', `ports now: ${described(mix)}`);
    // exit-code-of-mix judges this first run's exit code.
    session.mixed = await checkMix(context, mix, 'first run', new Set());
    const changed = await flip(context, mix, random);
    context.transcript.note('grader', `flipped ${[...changed].join(', ')}; ports now: ${described(mix)}`);
    const answered = { ...mix, ports: mix.ports.filter((port) => mix.states.get(port) !== 'timeout') };
    await checkMix(context, answered, 'second run, after the grader flipped some ports', changed);
  },
};
