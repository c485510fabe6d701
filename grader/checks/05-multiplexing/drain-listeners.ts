// A flood of short lines in the one server run: hundreds of replies that do not fit per
// chunk, so a server that adds a "drain" listener per write() (not per pause) piles them up.
import { formatDuration } from '../../run/deadline.ts';
import { fail } from '../check.ts';
import type { ScenarioCheck } from '../lesson.ts';
import { FLOOD_CAP_BYTES, FLOOD_STALL_MS } from './backpressure.ts';
import { diagnoses } from './diagnoses.ts';
import { failIfExited } from './exited.ts';
import { mib } from './flood.ts';
import { connectTo, FILE, serverOf, type OneServer } from './session.ts';
import { drainListenerWarning, SHORT_LINE_BYTES, ShortLineFlooder } from './short-flood.ts';

export const oneDrainListener: ScenarioCheck<OneServer> = {
  id: 'one-drain-listener',
  title: 'keeps one "drain" listener per stalled socket while a client floods short lines',
  hint: 'Pause and register the "drain" listener once per stall: if (!socket.write(reply) && !socket.isPaused()) { socket.pause(); socket.once("drain", () => socket.resume()); }',
  async run(context, session) {
    const served = await serverOf(context, session);
    const peer = await connectTo(context, served, 'short-flooder');
    const shortFlooder = new ShortLineFlooder(peer, context.transcript, Buffer.alloc(0));
    const flood = await shortFlooder.flood(FLOOD_CAP_BYTES, context.ms(FLOOD_STALL_MS), context.ms(30_000));
    context.transcript.note('grader', `the short-line flooder got ${mib(flood.acceptedBytes)} accepted in ${formatDuration(flood.elapsedMs)} (${flood.end})`);
    failIfExited(served.server, `while a client sent ${SHORT_LINE_BYTES}-byte lines without reading`);
    const warning = drainListenerWarning(served.server.stderr.text);
    // Done with it: the server's error listener sees the reset.
    peer.reset();
    if (!warning) return;
    fail(`${FILE} added a "drain" listener for every reply that did not fit, not one per pause`, {
      expected: 'one "drain" listener per paused socket, and no warning',
      actual: warning.trim(),
      diagnosis: diagnoses['drain-listener-per-write'],
    });
  },
};
