// The last checks of lesson 3's server scenario: a client that ends after its replies queued up,
// two clients sending partial frames at once, and a client that resets in the middle of a frame.
import { sleep } from '../../run/deadline.ts';
import { fail, withFact } from '../check.ts';
import type { ScenarioCheck } from '../lesson.ts';
import { connectThroughProxy } from './connections.ts';
import { diagnoses } from './diagnoses.ts';
import { encodeFrame, wireBytes } from './frames.ts';
import { expectReplies } from './replies.ts';
import { failIfDiedOfReset } from './reset-crash.ts';
import { newConnection, served, type ServerSession } from './server-session.ts';
import { forwardedUp, LARGE_BYTES, largePayload, SERVER, sendFrames } from './server-traffic.ts';
import type { RunningProgram } from '../../run/program.ts';

/** Whether the server logged a write refused because its side was already ended (Node's own end() after "end"). */
const refusedWrites = (server: RunningProgram) => /\bEPIPE\b|ERR_STREAM_WRITE_AFTER_END|write after end/.test(server.stderr.text);

export const endingChecks: readonly ScenarioCheck<ServerSession>[] = [
  {
    id: 'ends-after-client-ends',
    title: 'after the client ends, sends every queued reply and then ends the connection',
    hint: 'On "end", call socket.end(): it sends FIN after everything write() has queued.',
    async run(context, session) {
      const { server, port } = served(session);
      const { proxy, peer } = await connectThroughProxy(context, server, port, 'client-8', 'bulk');
      const random = context.random('ends');
      const payloads = [largePayload(random, LARGE_BYTES), Buffer.from(random.word(5, 20))];
      const want = wireBytes(payloads);
      // The replies pile up in the server's queue while nobody reads them; then the client's FIN arrives.
      proxy.hold('down');
      await sendFrames(peer, payloads);
      peer.end();
      await forwardedUp(proxy, peer, want, context.ms(20_000));
      await sleep(context.ms(300));
      proxy.release('down');
      await peer.until(() => peer.receivedBytes >= want || peer.gotEnd || peer.closed || !server.running, context.ms(30_000), `${want} reply bytes`).catch(() => undefined);
      if (peer.receivedBytes < want && (peer.gotEnd || peer.closed)) {
        fail(`${SERVER} closed the connection after ${peer.receivedBytes} of ${want} reply bytes`, {
          expected: `${want} reply bytes, then FIN`,
          actual: `${peer.receivedBytes} bytes, then the connection ${peer.error ? `was reset (${peer.error.code})` : 'closed'}`,
          diagnosis: refusedWrites(server) ? diagnoses['writes-after-auto-end'] : diagnoses['destroys-with-replies-queued'],
        });
      }
      await expectReplies({ server, peer, sent: payloads, what: 'a large frame and a small one, followed by FIN', deadlineMs: context.ms(1000) });
      await peer.untilEndOrClose(context.ms(3000), 'FIN').catch(() => {
        fail(`${SERVER} sent every reply but did not end the connection within ${context.ms(3000) / 1000} s of the client's FIN`, {
          expected: 'every reply, then FIN',
          actual: 'every reply, then nothing: the connection is still open',
          diagnosis: diagnoses['never-ends-connection'],
        });
      });
    },
  },
  {
    id: 'separate-buffers',
    title: 'keeps a separate buffer for each client when two send partial frames at once',
    hint: 'Keep the buffer (or decoder) inside the connection callback, one per socket. A buffer shared by all clients mixes their bytes.',
    async run(context, session) {
      const run = served(session);
      const refused = withFact(diagnoses['stops-accepting'], 'It stopped after a client had ended its connection.');
      const a = await newConnection(context, run, 'client-9', refused);
      const b = await newConnection(context, run, 'client-10', refused);
      const random = context.random('separate');
      const sentA: Buffer[] = [];
      const sentB: Buffer[] = [];
      // Each round: one client sends half a frame, the other a whole frame, then the first the rest.
      for (const [half, whole, halfSent, wholeSent] of [[a, b, sentA, sentB], [b, a, sentB, sentA]] as const) {
        const split = Buffer.from(random.word(40, 80));
        const other = Buffer.from(random.word(10, 30));
        const wire = encodeFrame(split);
        const cut = 4 + random.int(5, 30);
        halfSent.push(split);
        wholeSent.push(other);
        await half.send(wire.subarray(0, cut));
        await sleep(100);
        await whole.send(encodeFrame(other));
        await whole.untilBytes(wireBytes(wholeSent), context.ms(2000), 'a reply to the whole frame').catch(() => undefined);
        await half.send(wire.subarray(cut));
        await half.untilBytes(wireBytes(halfSent), context.ms(2000), 'a reply to the completed frame').catch(() => undefined);
      }
      const onlyCause = diagnoses['shares-one-buffer'];
      await expectReplies({ server: run.server, peer: a, sent: sentA, what: 'frames from the first of two clients sending at once', deadlineMs: context.ms(3000), onlyCause });
      await expectReplies({ server: run.server, peer: b, sent: sentB, what: 'frames from the second of two clients sending at once', deadlineMs: context.ms(3000), onlyCause });
    },
  },
  {
    id: 'survives-reset',
    title: 'keeps serving other clients after one resets its connection in the middle of a frame',
    hint: 'Give every accepted socket an "error" listener: a reset is an error event on that one socket, not a reason to stop the server.',
    async run(context, session) {
      const run = served(session);
      const { server } = run;
      const resetting = await newConnection(context, run, 'client-11', diagnoses['stops-accepting']);
      const half = encodeFrame(Buffer.from(context.random('reset').word(40, 80)));
      await resetting.send(half.subarray(0, 4 + 10));
      await resetting.untilEndOrClose(context.ms(200), 'nothing: the grader resets next').catch(() => undefined);
      resetting.reset();
      // Two round trips on fresh connections: by the second, the server has handled the reset.
      const refused = withFact(diagnoses['stops-accepting'], 'After a client reset its connection, the server stopped accepting new ones.');
      for (const name of ['client-12', 'client-13']) {
        const diedOfReset = async (error: unknown) => {
          await failIfDiedOfReset(server, context.ms(1000));
          throw error;
        };
        const peer = await newConnection(context, run, name, refused).catch(diedOfReset);
        const payload = Buffer.from(context.random(name).word(5, 20));
        await sendFrames(peer, [payload]);
        await expectReplies({ server, peer, sent: [payload], what: 'a frame from a new client after another reset its connection', deadlineMs: context.ms(5000) }).catch(diedOfReset);
      }
    },
  },
];
