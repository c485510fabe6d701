// Lesson 3's server scenarios: runs of server.ts. Each check opens its own connection, straight
// or through the fragmenting proxy, so the frames arrive whole, coalesced, split inside the
// payload, or split inside the 4-byte prefix; a second run is sent a large frame and then the
// checks of server-ends.ts end connections, and a third is sent lengths above the limit (oversized.ts).
import { listensCheck } from '../shared/served.ts';
import { sleep } from '../../run/deadline.ts';
import { scenario, type ScenarioCheck } from '../lesson.ts';
import { connectThroughProxy } from './connections.ts';
import { diagnoses } from './diagnoses.ts';
import { encodeFrame, wireBytes } from './frames.ts';
import { expectReplies } from './replies.ts';
import { endingChecks } from './server-ends.ts';
import { oversizedCheck } from './oversized.ts';
import { newConnection, served, servedOf, type ServerSession } from './server-session.ts';
import { forwardedUp, LARGE_BYTES, largePayload, MiB, SERVER, sendFrames, words } from './server-traffic.ts';

const framingChecks: readonly ScenarioCheck<ServerSession>[] = [
  listensCheck(SERVER),
  {
    id: 'answers-one-frame',
    title: 'answers one frame with one frame holding the bytes reversed',
    hint: 'For each whole frame, write a 4-byte big-endian length (writeUInt32BE) and then the payload reversed (Buffer.from(payload).reverse()).',
    async run(context, session) {
      const { server, first } = served(session);
      const payload = Buffer.from(`hello ${context.random('one frame').word(6, 12)}`);
      await sendFrames(first, [payload]);
      await expectReplies({ server, peer: first, sent: [payload], what: 'one frame sent in one write', deadlineMs: context.ms(5000) });
    },
  },
  {
    id: 'serves-two-clients',
    title: 'serves a second client while the first is still connected',
    hint: 'Do not close the listening server when a client connects: this server serves any number of clients. Each accepted socket gets its own handlers.',
    async run(context, session) {
      const run = served(session);
      const { server, first } = run;
      const second = await newConnection(context, run, 'client-2', diagnoses['closes-listener-on-connect']);
      const random = context.random('two clients');
      const [forSecond, forFirst] = words(random, 2, 3, 20);
      await sendFrames(second, [forSecond!]);
      await expectReplies({ server, peer: second, sent: [forSecond!], what: 'a frame from a second client', deadlineMs: context.ms(5000) });
      first.clear();
      await sendFrames(first, [forFirst!]);
      await expectReplies({ server, peer: first, sent: [forFirst!], what: 'a frame from the first client, after the second was served', deadlineMs: context.ms(5000) });
    },
  },
  {
    id: 'answers-coalesced-frames',
    title: 'answers every frame of a write that holds 20 frames, each with its own reply, in order',
    hint: 'One "data" event can hold several frames. After answering one, keep the bytes after it and loop: while the buffer holds 4 + length bytes, cut off the next frame.',
    async run(context, session) {
      const run = served(session);
      const peer = await newConnection(context, run, 'client-3', diagnoses['stops-accepting']);
      const payloads = words(context.random('coalesced'), 20, 1, 40);
      await sendFrames(peer, payloads);
      await expectReplies({
        server: run.server,
        peer,
        sent: payloads,
        what: '20 frames sent in one write',
        deadlineMs: context.ms(5000),
        diagnosis: diagnoses['answers-first-frame-only'],
      });
    },
  },
  {
    id: 'answers-split-payload',
    title: 'answers a frame whose payload arrives in several pieces',
    hint: 'A frame can arrive over many "data" events. Append every chunk to a buffer, and answer only once it holds 4 + length bytes.',
    async run(context, session) {
      const run = served(session);
      const peer = await newConnection(context, run, 'client-4', diagnoses['stops-accepting']);
      const random = context.random('split payload');
      const payloads = [random.word(2000, 3000), random.word(500, 1500)].map((text) => Buffer.from(text));
      for (const payload of payloads) {
        // The header and a little payload first, then the rest in pieces, pausing so each is its own read.
        const wire = encodeFrame(payload);
        let at = 4 + random.int(1, 16);
        await peer.send(wire.subarray(0, at));
        while (at < wire.length) {
          await sleep(25);
          const size = random.int(100, 700);
          await peer.send(wire.subarray(at, at + size));
          at += size;
        }
      }
      await expectReplies({ server: run.server, peer, sent: payloads, what: 'frames whose payload came in pieces 25 ms apart', deadlineMs: context.ms(5000) });
    },
  },
  {
    id: 'answers-split-header',
    title: 'answers frames that arrive 1 to 3 bytes at a time, split inside the length prefix',
    hint: 'The 4-byte length can itself arrive in pieces. Read it only once the buffer holds 4 bytes; until then keep what you have.',
    async run(context, session) {
      const { server, port } = served(session);
      const { proxy, peer } = await connectThroughProxy(context, server, port, 'client-5', 'bytes');
      const payloads = words(context.random('split header'), 12, 1, 12);
      await sendFrames(peer, payloads);
      await expectReplies({
        server,
        peer,
        sent: payloads,
        what: '12 frames cut into writes of 1 to 3 bytes',
        deadlineMs: context.ms(10_000),
        via: proxy,
        crashDiagnosis: diagnoses['reads-partial-prefix'],
        diagnosis: diagnoses['loses-partial-prefix'],
      });
    },
  },
  {
    id: 'answers-binary-and-empty',
    title: 'answers empty frames and payloads holding every byte value, unchanged but reversed',
    hint: 'A payload is bytes, not text, and may be empty. Keep Buffers from socket to reply (no toString, no setEncoding), and answer a length of 0 with a 4-byte header of zeros.',
    async run(context, session) {
      const { server, port } = served(session);
      const { proxy, peer } = await connectThroughProxy(context, server, port, 'client-6', 'mixed');
      const random = context.random('binary');
      const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => (i + random.int(0, 255)) & 0xff));
      const payloads = [Buffer.alloc(0), everyByte, random.bytes(random.int(1000, 3000)), Buffer.alloc(0), random.bytes(random.int(1, 64)), Buffer.alloc(0)];
      await sendFrames(peer, payloads);
      await expectReplies({ server, peer, sent: payloads, what: 'empty and binary frames', deadlineMs: context.ms(10_000), via: proxy, diagnosis: diagnoses['skips-empty-frame'] });
    },
  },
];

/** The first check of its own run of server.ts: the replies to it queue up, like those of the ending checks after it. */
const largeFrameCheck: ScenarioCheck<ServerSession> = {
  id: 'answers-large-frame',
  title: `answers a ${LARGE_BYTES / MiB} MiB frame, and a small one after it, while its replies are read slowly`,
  hint: 'A frame can be far larger than one read (at most 64 KiB in Node) or any fixed buffer. Grow the buffer as chunks come (Buffer.concat or a list of chunks) until 4 + length bytes are there.',
  async run(context, session) {
    const { server, port } = await servedOf(context, session, SERVER);
    const { proxy, peer } = await connectThroughProxy(context, server, port, 'client-7', 'bulk');
    const random = context.random('large');
    const payloads = [largePayload(random, LARGE_BYTES), Buffer.from(random.word(5, 20))];
    proxy.hold('down');
    await sendFrames(peer, payloads);
    await forwardedUp(proxy, peer, wireBytes(payloads), context.ms(20_000));
    await sleep(context.ms(300));
    proxy.release('down');
    // A slow server keeps the proxy busy one way or the other; a stuck one does not.
    await expectReplies({ server, peer, sent: payloads, what: `a ${LARGE_BYTES / MiB} MiB frame and a small one`, deadlineMs: context.ms(30_000), via: proxy });
  },
};

const fresh = (): ServerSession => ({});

// Three runs of server.ts, so their waits overlap. The checks of one run share what the server
// went through: "separate-buffers" is met after a client ended its connection.
export const serverRun = scenario('one run of server.ts, frames whole, coalesced and split, a new connection for each check', fresh, framingChecks);
export const largeFramesAndEndings = scenario('a run of server.ts sent large frames, then clients that end or reset', fresh, [largeFrameCheck, ...endingChecks]);
export const oversizedFrames = scenario('a run of server.ts sent lengths above the limit', fresh, [oversizedCheck]);
