// Lesson 3's maximum frame length: a prefix above it (or text typed into nc, "hell" read as a
// length) closes that one connection at once, with a line on stderr; a frame of exactly the
// limit is still waited for; the server's other connections and its listener go on.
import net from 'node:net';
import type { TcpPeer } from '../../net/tcp-peer.ts';
import { pollUntil, sleep } from '../../run/deadline.ts';
import { describeExit } from '../../run/program.ts';
import { fail, withFact, type CheckContext } from '../check.ts';
import type { ScenarioCheck } from '../lesson.ts';
import { crashReport, exitWithin } from '../shared/exit.ts';
import { hostPort } from '../shared/listening.ts';
import { diagnoses } from './diagnoses.ts';
import { PROTOCOL_MAX_FRAME_BYTES } from './frames.ts';
import { expectReplies } from './replies.ts';
import { newConnection, servedOf, type ServedRun, type ServerSession } from './server-session.ts';
import { SERVER, sendFrames } from './server-traffic.ts';

/** What nc sends when "hello" is typed: its first 4 bytes read as a length. */
const TYPED_TEXT = Buffer.from('hello\n');

function prefix(length: number): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(length, 0);
  return header;
}

/** The length as a learner may print it: 1751477356, 1,751,477,356, 1_751_477_356 or 0x68656c6c. */
function mentions(text: string, value: number): boolean {
  const bare = text.replace(/(?<=\d)[,_.' ](?=\d{3})/g, '');
  return new RegExp(`(?<![\\dx])${value}(?!\\d)`).test(bare) || new RegExp(`0x0*${value.toString(16)}(?![\\da-f])`, 'i').test(text);
}

/** Fails naming the crash if the server exited (or exits within 500 ms): a crash also closes every connection. */
async function failIfExited(context: CheckContext, run: ServedRun, what: string): Promise<void> {
  const exit = run.server.exit ?? (await exitWithin(run.server, context.ms(500)));
  if (!exit) return;
  const crash = crashReport(run.server.stderr.text);
  fail(`${SERVER} ${describeExit(exit)} after a client sent ${what}${crash ? `: ${crash.trim()}` : ''}`, {
    expected: 'that one connection closed; the server keeps running',
    actual: describeExit(exit),
    diagnosis: diagnoses['exits-on-oversized-frame'],
  });
}

/** Fails, naming how, unless `peer` is closed by the server within 3 s of `what`. */
async function expectClosed(context: CheckContext, run: ServedRun, peer: TcpPeer, what: string, length: number): Promise<void> {
  const ms = context.ms(3000);
  await peer.untilEndOrClose(ms, `${SERVER} to close the connection that sent ${what}`).catch(() => undefined);
  if (peer.gotEnd || peer.closed) return;
  await failIfExited(context, run, what);
  fail(`${SERVER} kept the connection open ${ms / 1000} s after it sent ${what}`, {
    expected: `the connection closed at once: ${length} is above the limit of ${PROTOCOL_MAX_FRAME_BYTES} bytes`,
    actual: `still open, waiting for ${length} bytes of payload`,
    diagnosis: diagnoses['waits-for-oversized-payload'],
  });
}

/**
 * nc keeps sending what is typed after the server's FIN. A server that destroyed the socket
 * answers that with a reset; one that only called end() keeps reading it (and, its decoder still
 * holding the bad prefix, complains again on every line). So the grader types on, as nc does.
 */
async function expectStopsReading(context: CheckContext, run: ServedRun, port: number): Promise<void> {
  const name = 'client-18';
  const socket = net.connect({ host: context.host, port, allowHalfOpen: true });
  context.onCleanup(() => socket.destroy());
  const seen = { end: false, gone: false };
  socket.on('data', () => {});
  socket.on('end', () => (seen.end = true));
  socket.on('error', () => (seen.gone = true));
  socket.on('close', () => (seen.gone = true));
  await new Promise<void>((resolve) => socket.once('connect', resolve).once('error', () => resolve()));
  context.transcript.note(name, `connected like nc (half-open: it keeps sending after a FIN), sent "hello\\n"`);
  socket.write(TYPED_TEXT);
  await pollUntil(() => (seen.end || seen.gone ? true : undefined), context.ms(3000), `${SERVER} to close the connection of "hello\\n"`).catch(() => undefined);
  if (seen.gone || !seen.end) return; // reset at once, or judged by expectClosed already
  for (let line = 0; line < 3 && !seen.gone; line++) {
    socket.write('more\n');
    await sleep(context.ms(100));
  }
  await pollUntil(() => (seen.gone ? true : undefined), context.ms(1000), 'a reset for the lines sent after the FIN').catch(() => undefined);
  if (seen.gone) return;
  await failIfExited(context, run, 'lines sent after its FIN');
  fail(`${SERVER} sent a FIN but kept reading the connection: three lines typed after it were taken, with no reset`, {
    expected: 'the socket destroyed: nothing more read from a client whose stream is out of step, and a reset for what it still sends',
    actual: 'a FIN (end()), then every later line accepted',
    diagnosis: diagnoses['ends-instead-of-destroy'],
  });
}

export const oversizedCheck: ScenarioCheck<ServerSession> = {
  id: 'refuses-oversized-frame',
  title: `closes a connection whose length prefix is above ${PROTOCOL_MAX_FRAME_BYTES / 1024 / 1024} MiB (or is typed text), and only that one`,
  hint: 'Check the length as soon as its 4 bytes are read: above MAX_FRAME_BYTES, write a line to stderr and destroy that socket, without waiting for a payload. Keep serving the others.',
  async run(context, session) {
    const run = await servedOf(context, session, SERVER);
    const { server, first } = run;
    const stderrBefore = server.stderr.text.length;
    const random = context.random('oversized');
    // A frame of exactly the limit is legal: only its prefix and a little payload are sent.
    const boundary = await newConnection(context, run, 'client-14', diagnoses['stops-accepting']);
    context.onCleanup(() => boundary.destroy());
    await boundary.send(Buffer.concat([prefix(PROTOCOL_MAX_FRAME_BYTES), random.bytes(16)]));
    await sleep(context.ms(200));

    const over = await newConnection(context, run, 'client-15', diagnoses['stops-accepting']);
    const overFrom = { address: over.socket.localAddress!, port: over.socket.localPort! };
    await over.send(Buffer.concat([prefix(PROTOCOL_MAX_FRAME_BYTES + 1), random.bytes(16)]));
    await expectClosed(context, run, over, `a length prefix of ${PROTOCOL_MAX_FRAME_BYTES + 1}, one above the limit`, PROTOCOL_MAX_FRAME_BYTES + 1);
    const typedLength = TYPED_TEXT.readUInt32BE(0);
    const overWhat = 'a length above the limit';
    const diedOf = (what: string) => async (error: unknown) => {
      await failIfExited(context, run, what);
      throw error;
    };
    const typed = await newConnection(context, run, 'client-16', withFact(diagnoses['stops-listening-on-oversized'], 'It stopped after it closed a connection for a length above the limit.')).catch(diedOf(overWhat));
    const typedFrom = { address: typed.socket.localAddress!, port: typed.socket.localPort! };
    await typed.send(TYPED_TEXT);
    await expectClosed(context, run, typed, `"hello\\n", as nc sends it (the length ${typedLength})`, typedLength);

    if (first.gotEnd || first.closed || boundary.gotEnd || boundary.closed) await failIfExited(context, run, overWhat);
    if (first.gotEnd || first.closed) {
      fail(`${SERVER} closed another client's connection when one sent a length above the limit`, {
        expected: 'only the offending connection closed',
        actual: 'the connection opened before any of them was closed too',
        diagnosis: diagnoses['closes-other-connections'],
      });
    }
    if (boundary.gotEnd || boundary.closed) {
      fail(`${SERVER} closed a connection whose length prefix is exactly the limit, ${PROTOCOL_MAX_FRAME_BYTES}`, {
        expected: `a frame of ${PROTOCOL_MAX_FRAME_BYTES} bytes waited for: the limit is inclusive`,
        actual: 'the connection closed after its prefix',
        diagnosis: diagnoses['rejects-frame-of-max'],
      });
    }
    first.clear();
    const payload = Buffer.from(random.word(5, 20));
    await sendFrames(first, [payload]);
    await expectReplies({ server, peer: first, sent: [payload], what: 'a frame on another connection, after one was closed for its length', deadlineMs: context.ms(5000) }).catch(diedOf(overWhat));
    const after = await newConnection(context, run, 'client-17', withFact(diagnoses['stops-listening-on-oversized'], 'It stopped after it closed connections for lengths above the limit.')).catch(diedOf(overWhat));
    await sendFrames(after, [payload]);
    await expectReplies({ server, peer: after, sent: [payload], what: 'a frame from a new client, after connections were closed for their length', deadlineMs: context.ms(5000) });

    await expectStopsReading(context, run, run.port);

    // The line on stderr may arrive a moment after the close.
    const said = () => server.stderr.text.slice(stderrBefore);
    const refusals = [
      { length: PROTOCOL_MAX_FRAME_BYTES + 1, from: overFrom },
      { length: typedLength, from: typedFrom },
    ];
    const unnamed = () => refusals.filter(({ length }) => !mentions(said(), length));
    const clientUnnamed = () => refusals.filter(({ from }) => !mentions(said(), from.port));
    await pollUntil(() => (unnamed().length + clientUnnamed().length === 0 ? true : undefined), context.ms(1000), 'a line on stderr naming each refused length and its client').catch(() => undefined);
    if (server.stderr.truncated) return;
    const saidLines = said().trim() ? `stderr: ${said().trim().split('\n').slice(0, 3).join(' | ')}` : 'nothing on stderr';
    if (unnamed().length) {
      fail(`${SERVER} closed the connections without saying why on stderr`, {
        expected: `a line on stderr naming each length (${refusals.map(({ length }) => length).join(', ')}) and the limit`,
        actual: saidLines,
        diagnosis: diagnoses['silent-oversized-close'],
      });
    }
    if (clientUnnamed().length) {
      fail(`${SERVER}'s line on stderr for a refused length does not say which client sent it`, {
        expected: `each line naming its client: ${refusals.map(({ from }) => hostPort(from.address, from.port)).join(', ')} (socket.remoteAddress and socket.remotePort)`,
        actual: saidLines,
        diagnosis: diagnoses['refusal-names-no-client'],
      });
    }
  },
};
