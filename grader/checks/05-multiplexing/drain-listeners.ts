// A flood of short lines in the one server run: hundreds of replies that do not fit per
// chunk, so a server that adds a "drain" listener per write() (not per pause) piles them up.
import { formatDuration, pollUntil } from '../../run/deadline.ts';
import { fail } from '../check.ts';
import type { ScenarioCheck } from '../lesson.ts';
import { FLOOD_CAP_BYTES, FLOOD_STALL_MS } from './backpressure.ts';
import { diagnoses } from './diagnoses.ts';
import { failIfExited } from './exited.ts';
import { mib } from './flood.ts';
import { connectTo, FILE, serverOf, type OneServer } from './session.ts';
import { drainListenerWarning, SHORT_LINE_BYTES, ShortLineFlooder } from './short-flood.ts';

/** Extra stalls, each after the replies drained once. */
const DRAIN_ROUNDS = 2;
/** Read per round: well over what the server queues in user space (its high-water mark and a chunk's replies). */
const DRAIN_READ_BYTES = 512 * 1024;
/** Node prints the warning on the next tick; the grader reads stderr through a pipe. */
const WARNING_MS = 100;
/**
 * After the last round, longer: the server is still working through its backlog, which on a
 * loaded machine can take longer than WARNING_MS (CI once saw no warning from a per-write server).
 */
const LAST_WARNING_MS = 600;

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
    // A pile-up needs more than 10 refused writes in the chunk being answered when the queue
    // filled, and that chunk can end just after (CI saw it once). Each round lets the replies
    // drain once, so the server resumes on full chunks of its backlog and stalls again.
    const warned = async (ms = WARNING_MS) => {
      await pollUntil(() => drainListenerWarning(served.server.stderr.text), context.ms(ms), 'a MaxListenersExceededWarning on stderr').catch(() => undefined);
      return drainListenerWarning(served.server.stderr.text);
    };
    let warning = await warned();
    for (let round = 0; round < DRAIN_ROUNDS && !warning && served.server.running; round++) {
      const before = peer.receivedBytes;
      peer.socket.resume();
      await peer.until(() => peer.receivedBytes >= before + DRAIN_READ_BYTES, context.ms(5000), 'replies read so that the server drains').catch(() => undefined);
      peer.socket.pause();
      context.transcript.note('grader', `read ${mib(peer.receivedBytes - before)} of replies so the server could drain, then stopped reading again`);
      warning = await warned(round === DRAIN_ROUNDS - 1 ? LAST_WARNING_MS : WARNING_MS);
    }
    failIfExited(served.server, `while a client sent ${SHORT_LINE_BYTES}-byte lines and read their replies in bursts`);
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
