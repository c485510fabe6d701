// Lesson 3: length-prefixed framing. The server checks share one run of server.ts; each
// opens its own connection, straight or through the fragmenting proxy, so the frames
// arrive whole, coalesced, split inside the payload, or split inside the 4-byte prefix.
// The client checks run client.ts against the grader's framing server behind the proxy.
import type { FragmentingProxy } from '../net/fragmenting-proxy.ts';
import type { Random } from '../net/random.ts';
import type { TcpPeer } from '../net/tcp-peer.ts';
import { DeadlineError, pollUntil, sleep } from '../run/deadline.ts';
import type { RunningProgram } from '../run/program.ts';
import { escapeText } from '../net/escape.ts';
import { fail, type CheckContext, type LessonChecks } from './check.ts';
import { expectCleanExit, expectExit, outputLines } from './shared/exit.ts';
import { startServerAndConnect } from './shared/listening.ts';
import { connectThroughProxy, startClientAgainstFrameServer, type ClientRun } from './framing/connections.ts';
import { encodeFrame, reversed, showPayload, wireBytes } from './framing/frames.ts';
import { expectReplies } from './framing/replies.ts';
import { HELD_REPLY_MS, planClientRun, type ClientPlan } from './framing/client-plan.ts';
import { printedLineHint, sentFrameHint } from './framing/client-hints.ts';
import { failIfDiedOfReset } from './framing/reset-crash.ts';
import { clientEndingChecks, clientTruncationCheck } from './framing/client-ends.ts';

const SERVER = 'server.ts';
const CLIENT = 'client.ts';
const MiB = 1024 * 1024;
/** Past what the kernel buffers on loopback (about 4 MiB here), so replies queue inside Node. */
const LARGE_BYTES = 6 * MiB;
const CLIENT_LARGE_BYTES = 2 * MiB;

const SPLIT_HEADER_CRASH =
  'Your server crashed reading the length: a chunk can end inside the 4-byte prefix, and readUInt32BE needs all 4 bytes. Keep the bytes in a buffer and read the length only once it holds at least 4.';

function words(random: Random, count: number, min: number, max: number): Buffer[] {
  return Array.from({ length: count }, () => Buffer.from(random.word(min, max)));
}

/** Waits until the proxy has written `bytes` towards the server, or the connection is gone. */
async function forwardedUp(proxy: FragmentingProxy, peer: TcpPeer, bytes: number, ms: number): Promise<void> {
  await pollUntil(
    () => ((proxy.stats[0]?.bytes ?? 0) >= bytes || peer.closed || peer.gotEnd ? true : undefined),
    ms,
    `the proxy to pass ${bytes} bytes on to ${SERVER}`,
  );
}

/** A payload that repeats a random 64 KiB block with a counter, so no two blocks are equal. */
function largePayload(random: Random, size: number): Buffer {
  const block = random.bytes(64 * 1024);
  const payload = Buffer.alloc(size);
  for (let at = 0; at < size; at += block.length) {
    block.copy(payload, at);
    payload.writeUInt32BE((at / block.length) >>> 0, at);
  }
  return payload;
}

export const framingChecks: LessonChecks = () => {
  let server: RunningProgram;
  let port: number;
  let first: TcpPeer;
  let clientRun: ClientRun;
  let clientLines: readonly string[];
  let plan: ClientPlan;
  let clientExitedAt: Promise<number>;

  /** Sends `payloads` on `peer`, one frame each, all in one write. */
  const sendFrames = (peer: TcpPeer, payloads: readonly Buffer[]) => peer.send(Buffer.concat(payloads.map(encodeFrame)));

  async function newConnection(context: CheckContext, name: string, hint: string): Promise<TcpPeer> {
    try {
      return await context.connect(port, { name, program: server, deadlineMs: context.ms(3000) });
    } catch (error) {
      if (!(error instanceof DeadlineError)) throw error;
      fail(`${SERVER} no longer accepts connections on port ${port}`, { expected: 'a new connection accepted', actual: 'connection refused', hint });
    }
  }

  /** The client's output, once it printed `count` lines or exited. */
  async function printedLines(client: RunningProgram, count: number, ms: number): Promise<string[]> {
    await pollUntil(() => (!client.running || outputLines(client.stdout.text).length >= count ? true : undefined), ms, `${CLIENT} to print ${count} lines`).catch(() => undefined);
    // A moment more, so a line printed too many shows up.
    await sleep(50);
    return outputLines(client.stdout.text);
  }

  return [
    {
      id: 'listens',
      title: 'listens on HOST:PORT and accepts a client',
      hint: 'Call server.listen(PORT, HOST) with both read from process.env (defaults 65432 and "127.0.0.1").',
      async run(context) {
        ({ program: server, port, peer: first } = await startServerAndConnect(context, SERVER));
      },
    },
    {
      id: 'answers-one-frame',
      title: 'answers one frame with one frame holding the bytes reversed',
      hint: 'For each whole frame, write a 4-byte big-endian length (writeUInt32BE) and then the payload reversed (Buffer.from(payload).reverse()).',
      async run(context) {
        const payload = Buffer.from(`hello ${context.random('one frame').word(6, 12)}`);
        await sendFrames(first, [payload]);
        await expectReplies({ server, peer: first, sent: [payload], what: 'one frame sent in one write', deadlineMs: context.ms(5000) });
      },
    },
    {
      id: 'serves-two-clients',
      title: 'serves a second client while the first is still connected',
      hint: 'Do not close the listening server when a client connects: this server serves any number of clients. Each accepted socket gets its own handlers.',
      async run(context) {
        const second = await newConnection(
          context,
          'client-2',
          'The server stopped listening after its first client: server.close() (from lesson 1) does that. Remove it; this server keeps accepting.',
        );
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
      async run(context) {
        const peer = await newConnection(context, 'client-3', 'The server stopped accepting clients: keep the listening server open.');
        const payloads = words(context.random('coalesced'), 20, 1, 40);
        await sendFrames(peer, payloads);
        await expectReplies({
          server,
          peer,
          sent: payloads,
          what: '20 frames sent in one write',
          deadlineMs: context.ms(5000),
          hint: 'Only the first frame of the chunk was answered. A chunk can hold many frames: loop while a whole frame is buffered, and keep the leftover (the start of the next frame) instead of dropping it.',
        });
      },
    },
    {
      id: 'answers-split-payload',
      title: 'answers a frame whose payload arrives in several pieces',
      hint: 'A frame can arrive over many "data" events. Append every chunk to a buffer, and answer only once it holds 4 + length bytes.',
      async run(context) {
        const peer = await newConnection(context, 'client-4', 'The server stopped accepting clients: keep the listening server open.');
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
        await expectReplies({ server, peer, sent: payloads, what: 'frames whose payload came in pieces 25 ms apart', deadlineMs: context.ms(5000) });
      },
    },
    {
      id: 'answers-split-header',
      title: 'answers frames that arrive 1 to 3 bytes at a time, split inside the length prefix',
      hint: 'The 4-byte length can itself arrive in pieces. Read it only once the buffer holds 4 bytes; until then keep what you have.',
      async run(context) {
        const { peer } = await connectThroughProxy(context, server, port, 'client-5', 'bytes');
        const payloads = words(context.random('split header'), 12, 1, 12);
        await sendFrames(peer, payloads);
        await expectReplies({
          server,
          peer,
          sent: payloads,
          what: '12 frames cut into writes of 1 to 3 bytes',
          deadlineMs: context.ms(10_000),
          crashHint: SPLIT_HEADER_CRASH,
          hint: 'The replies went wrong once a length prefix arrived in pieces. Read the length only once 4 bytes are buffered, and keep a partial prefix for the next chunk.',
        });
      },
    },
    {
      id: 'answers-binary-and-empty',
      title: 'answers empty frames and payloads holding every byte value, unchanged but reversed',
      hint: 'A payload is bytes, not text, and may be empty. Keep Buffers from socket to reply (no toString, no setEncoding), and answer a length of 0 with a 4-byte header of zeros.',
      async run(context) {
        const { peer } = await connectThroughProxy(context, server, port, 'client-6', 'mixed');
        const random = context.random('binary');
        const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => (i + random.int(0, 255)) & 0xff));
        const payloads = [Buffer.alloc(0), everyByte, random.bytes(random.int(1000, 3000)), Buffer.alloc(0), random.bytes(random.int(1, 64)), Buffer.alloc(0)];
        await sendFrames(peer, payloads);
        const emptyHint =
          'An empty frame (length 0) got no reply. It is a whole frame as soon as its 4 header bytes are there: check buffer.length >= 4 + length, not > 4, and do not skip empty payloads.';
        await expectReplies({ server, peer, sent: payloads, what: 'empty and binary frames', deadlineMs: context.ms(10_000), hint: emptyHint });
      },
    },
    {
      id: 'answers-large-frame',
      title: `answers a ${LARGE_BYTES / MiB} MiB frame, and a small one after it, while its replies are read slowly`,
      hint: 'A frame can be far larger than one read (at most 64 KiB in Node) or any fixed buffer. Grow the buffer as chunks come (Buffer.concat or a list of chunks) until 4 + length bytes are there.',
      async run(context) {
        const { proxy, peer } = await connectThroughProxy(context, server, port, 'client-7', 'bulk');
        const random = context.random('large');
        const payloads = [largePayload(random, LARGE_BYTES), Buffer.from(random.word(5, 20))];
        proxy.hold('down');
        await sendFrames(peer, payloads);
        await forwardedUp(proxy, peer, wireBytes(payloads), context.ms(20_000));
        await sleep(context.ms(300));
        proxy.release('down');
        await expectReplies({ server, peer, sent: payloads, what: `a ${LARGE_BYTES / MiB} MiB frame and a small one`, deadlineMs: context.ms(30_000) });
      },
    },
    {
      id: 'ends-after-client-ends',
      title: 'after the client ends, sends every queued reply and then ends the connection',
      hint: 'On "end", call socket.end(): it sends FIN after everything write() has queued.',
      async run(context) {
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
            hint: 'The socket was destroyed while replies were still queued in it. socket.destroy() drops them, and so does a `for await (const chunk of socket)` loop, which destroys the socket when it ends. Call socket.end() (with socket.iterator({ destroyOnReturn: false }) if you loop with for await).',
          });
        }
        await expectReplies({ server, peer, sent: payloads, what: 'a large frame and a small one, followed by FIN', deadlineMs: context.ms(1000) });
        await peer.untilEndOrClose(context.ms(3000), 'FIN').catch(() => {
          fail(`${SERVER} sent every reply but did not end the connection within ${context.ms(3000) / 1000} s of the client's FIN`, {
            expected: 'every reply, then FIN',
            actual: 'every reply, then nothing: the connection is still open',
            hint: 'With allowHalfOpen: true, Node leaves your side open after the client ends. Handle "end" with socket.end().',
          });
        });
      },
    },
    {
      id: 'separate-buffers',
      title: 'keeps a separate buffer for each client when two send partial frames at once',
      hint: 'Keep the buffer (or decoder) inside the connection callback, one per socket. A buffer shared by all clients mixes their bytes.',
      async run(context) {
        const hint = 'The server stopped accepting clients after one had ended: keep the listening server open and the process running.';
        const a = await newConnection(context, 'client-9', hint);
        const b = await newConnection(context, 'client-10', hint);
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
        const mixedUp = 'The replies are wrong only when two clients send at once: their bytes were mixed. Keep the buffer (or decoder) inside the connection callback, one per socket.';
        await expectReplies({ server, peer: a, sent: sentA, what: 'frames from the first of two clients sending at once', deadlineMs: context.ms(3000), overrideHint: mixedUp });
        await expectReplies({ server, peer: b, sent: sentB, what: 'frames from the second of two clients sending at once', deadlineMs: context.ms(3000), overrideHint: mixedUp });
      },
    },
    {
      id: 'survives-reset',
      title: 'keeps serving other clients after one resets its connection in the middle of a frame',
      hint: 'Give every accepted socket an "error" listener: a reset is an error event on that one socket, not a reason to stop the server.',
      async run(context) {
        const resetting = await newConnection(context, 'client-11', 'The server stopped accepting clients: keep the listening server open.');
        const half = encodeFrame(Buffer.from(context.random('reset').word(40, 80)));
        await resetting.send(half.subarray(0, 4 + 10));
        await resetting.untilEndOrClose(context.ms(200), 'nothing: the grader resets next').catch(() => undefined);
        resetting.reset();
        // Two round trips on fresh connections: by the second, the server has handled the reset.
        for (const name of ['client-12', 'client-13']) {
          const diedOfReset = () => failIfDiedOfReset(server, context.ms(1000));
          const peer = await newConnection(context, name, 'After a client reset its connection, the server stopped accepting new ones.').catch(async (error: unknown) => {
            await diedOfReset();
            throw error;
          });
          const payload = Buffer.from(context.random(name).word(5, 20));
          await sendFrames(peer, [payload]);
          await expectReplies({ server, peer, sent: [payload], what: 'a frame from a new client after another reset its connection', deadlineMs: context.ms(5000) }).catch(async (error: unknown) => {
            await diedOfReset();
            throw error;
          });
        }
      },
    },
    {
      id: 'client-sends-frames',
      title: 'client: sends each line of stdin as one frame of its UTF-8 bytes',
      hint: 'For each line (without its newline), send a 4-byte big-endian length of its UTF-8 bytes, then those bytes: encode first (Buffer.from(line)), then take .length.',
      async run(context) {
        plan = planClientRun(context.random('client lines'));
        clientLines = plan.lines;
        clientRun = await startClientAgainstFrameServer(context, CLIENT, clientLines, { profile: { up: 'coalesce', down: 'mixed' }, script: plan.script });
        clientExitedAt = clientRun.client.exited.then(() => Date.now());
        const { client, connection } = clientRun;
        const expected = clientLines.map((line) => Buffer.from(line, 'utf8'));
        await pollUntil(
          () => (connection.frames.length >= expected.length || !client.running || connection.peer.gotEnd || connection.peer.closed ? true : undefined),
          context.ms(8000),
          `${expected.length} frames from ${CLIENT}`,
        ).catch(() => undefined);
        for (let i = 0; i < expected.length; i++) {
          const got = connection.frames[i];
          if (got && got.equals(expected[i]!)) continue;
          const line = clientLines[i]!;
          fail(got ? `frame ${i + 1} from ${CLIENT} does not hold line ${i + 1}` : `${CLIENT} sent ${connection.frames.length} whole frames for ${expected.length} lines`, {
            expected: `frame ${i + 1}: ${showPayload(expected[i]!)}`,
            actual: got
              ? `frame ${i + 1}: ${showPayload(got)}`
              : `${connection.frames.length} frames, then ${connection.pending.length} bytes that do not make a whole frame${connection.pending.length ? `: ${escapeText(connection.pending.toString('latin1'), 24)}` : ''}`,
            hint: sentFrameHint(line, got, i),
          });
        }
      },
    },
    {
      id: 'client-prints-replies',
      title: 'client: prints every reply as one line, in order, though replies arrive cut up and run together',
      hint: 'Keep a buffer of what the socket delivered; print a reply only when its whole frame (4 + length bytes) is there, and loop, since one chunk can hold several replies.',
      async run(context) {
        const { client } = clientRun;
        const expected = plan.replies.map((reply) => reply.toString('utf8'));
        const printed = await printedLines(client, expected.length, context.ms(10_000) + HELD_REPLY_MS);
        const wrongAt = expected.findIndex((line, i) => printed[i] !== line);
        if (wrongAt === -1 && printed.length === expected.length) return;
        const at = wrongAt === -1 ? expected.length : wrongAt;
        const exitedAt = client.running ? undefined : await clientExitedAt;
        const hint = printedLineHint({ lines: clientLines, expected, printed, at, exitedAt, heldSentAt: clientRun.connection.heldSentAt });
        fail(wrongAt === -1 ? `${CLIENT} printed ${printed.length} lines for ${expected.length} replies` : `line ${at + 1} printed by ${CLIENT} is not reply ${at + 1}`, {
          expected: wrongAt === -1 ? `${expected.length} lines` : `line ${at + 1}: ${escapeText(expected[at]!, 60)}`,
          actual: printed[at] === undefined ? `${printed.length} lines, then nothing${client.running ? '' : ` (it ${client.exit ? `exited with code ${client.exit.code}` : 'exited'})`}` : `line ${at + 1}: ${escapeText(printed[at]!, 60)}`,
          hint,
        });
      },
    },
    {
      id: 'client-exits-zero',
      title: 'client: closes the connection and exits with code 0 after the last reply',
      hint: 'Count the frames you sent; once stdin has ended and every reply is printed, call socket.end(). The server then ends its side and the process exits.',
      async run(context) {
        const { client, connection } = clientRun;
        const exit = await expectExit(client, context.ms(5000), 'its last reply arrived').catch((error: unknown) => {
          if (!connection.peer.gotEnd && !connection.peer.closed) {
            fail(`${CLIENT} printed every reply but never closed the connection, so it is still running`, {
              expected: 'socket.end() after the last reply, then exit code 0',
              actual: 'the connection is still open',
              hint: 'Nothing ends the connection for you: once stdin is done and every reply is printed, call socket.end().',
            });
          }
          throw error;
        });
        expectCleanExit(client, exit);
      },
    },
    ...clientEndingChecks,
    {
      id: 'client-large-reply',
      title: `client: prints a ${CLIENT_LARGE_BYTES / MiB} MiB reply whole`,
      hint: 'A reply can be megabytes, far more than one read or any fixed buffer: keep appending chunks until 4 + length bytes are there.',
      async run(context) {
        const random = context.random('client large');
        const lines = [random.word(1, 10), 'x'.repeat(CLIENT_LARGE_BYTES - 64) + random.word(64, 64), random.word(1, 10)];
        const run = await startClientAgainstFrameServer(context, CLIENT, lines, { profile: 'bulk', outputCapBytes: 8 * MiB });
        const expected = lines.map((line) => reversed(Buffer.from(line)).toString('utf8'));
        const printed = await printedLines(run.client, expected.length, context.ms(30_000));
        const wrongAt = expected.findIndex((line, i) => printed[i] !== line);
        if (wrongAt === -1 && printed.length === expected.length) return;
        const at = wrongAt === -1 ? expected.length : wrongAt;
        fail(`${CLIENT} did not print reply ${at + 1} of ${expected.length} (${expected[at]?.length ?? 0} bytes) as one line`, {
          expected: `line ${at + 1}: ${expected[at] === undefined ? '(none)' : `${expected[at]!.length} bytes ${escapeText(expected[at]!, 24)}`}`,
          actual: printed[at] === undefined ? `${printed.length} lines, then nothing` : `line ${at + 1}: ${printed[at]!.length} bytes ${escapeText(printed[at]!, 24)}`,
        });
      },
    },
    clientTruncationCheck,
  ];
};
