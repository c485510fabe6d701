// The last checks of the one server run: a client that half-closes gets every reply, then
// FIN; one that ends in the middle of a line gets no answer to that piece. The unfinished
// line comes last: it relies on the server ending after a client's FIN, which the check
// before it shows.
import { formatDuration, settledWithin, sleep } from '../../run/deadline.ts';
import { fail } from '../check.ts';
import type { ScenarioCheck } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { failIfExited } from './exited.ts';
import { mib } from './flood.ts';
import { awaitLines, diagnoseReply, numbered, showLines } from './lines.ts';
import { connectTo, FILE, seededLines, servedBy, serverOf, type OneServer } from './session.ts';

/**
 * The half-close check's last line. Its reply must be larger than what the socket buffers
 * take while the client is not reading (measured: 4 MiB send buffer plus about 0.2 MiB),
 * so it is still queued in the server when the FIN arrives. Not larger: a server that
 * concatenates every chunk onto one buffer copies a long line once per chunk.
 */
const BIG_LINE_BYTES = 6 * 2 ** 20;

export const endsAfterHalfClose: ScenarioCheck<OneServer> = {
  id: 'ends-after-half-close',
  title: 'after a client half-closes, sends all its replies, then closes',
  hint: 'On "end", call socket.end(): it sends what is still queued, then FIN. destroy() throws the queue away; never ending leaves the client waiting.',
  async run(context, session) {
    const served = await serverOf(context, session);
    const [l1, l2] = seededLines(context, 'half-close', 'last', 2) as [string, string];
    const pattern = Buffer.from(context.random('big-line').word(61, 61), 'latin1');
    const big = Buffer.alloc(BIG_LINE_BYTES);
    for (let at = 0; at < big.length; at += pattern.length) pattern.copy(big, at);
    const peer = await connectTo(context, served, 'half-closer');
    // Not reading while the big reply is written keeps it queued in the server when
    // the FIN arrives, right behind the line's "\n".
    peer.socket.pause();
    // Awaited with a deadline: a server that stops reading would leave these writes pending forever.
    const sent = Promise.all([peer.send(`${l1}\n${l2}\n`), peer.send(big), peer.send('\n')]);
    peer.end();
    // On a loaded machine the upload alone can outlast a fixed pause: the FIN must reach the
    // server while its big reply is still queued, or destroy() loses nothing and passes.
    await settledWithin(sent, context.ms(10_000));
    await sleep(context.ms(300));
    peer.socket.resume();
    const expected = Buffer.concat([Buffer.from(`1 ${l1}\n2 ${l2}\n3 `, 'latin1'), big, Buffer.from('\n')]);
    // First the replies: generous, since a server that re-copies its buffer for every
    // chunk takes seconds for a 6 MiB line on a loaded machine. Then the FIN.
    await peer
      .until(() => peer.receivedBytes >= expected.length || peer.gotEnd || peer.closed, context.ms(60_000), `${mib(expected.length)} of replies`)
      .catch(() => undefined);
    const waited = context.ms(3000);
    const ended = await peer
      .untilEndOrClose(waited, `${FILE} to close after the replies and the client's FIN`)
      .then(() => true, () => false);
    failIfExited(served.server, 'after a client half-closed');
    const got = peer.data();
    const complete = got.equals(expected);
    if (!ended) {
      fail(`${FILE} did not close the connection within ${formatDuration(waited)} of the client's FIN${complete ? ', after sending every reply' : ''}`, {
        expected: 'every reply, then FIN',
        actual: `${mib(got.length)} of ${mib(expected.length)} of replies, connection still open`,
        diagnosis: diagnoses['never-ends'],
      });
    }
    if (!complete) {
      const lost = got.length < expected.length && expected.subarray(0, got.length).equals(got);
      const differ = lost ? '' : ': answer each line of the connection exactly once, in order';
      fail(`${FILE} closed after sending ${got.length} of ${expected.length} bytes of replies${peer.error ? ` (${peer.error.code})` : ''}${differ}`, {
        expected: `${mib(expected.length)} of replies, then FIN`,
        actual: `${mib(got.length)}${lost ? '' : ' that differ from the expected replies'}, then ${peer.gotEnd ? 'FIN' : 'a reset'}`,
        diagnosis: lost ? diagnoses['destroys-on-end'] : undefined,
      });
    }
  },
};

export const leavesUnfinishedLine: ScenarioCheck<OneServer> = {
  id: 'leaves-unfinished-line',
  title: 'gives no answer to an unfinished last line when the client ends',
  hint: 'A line is complete only when its "\\n" arrives. When the client ends, what is left in its buffer is not a line: drop it, then end().',
  async run(context, session) {
    const served = servedBy(session);
    const [line, tail] = seededLines(context, 'unfinished', 'tail', 2) as [string, string];
    const peer = await connectTo(context, served, 'unfinished');
    await peer.send(`${line}\n${tail}`);
    peer.end();
    // The previous check showed that the server ends after the client's FIN: whatever
    // it answers comes before its own FIN.
    const waited = context.ms(3000);
    const ended = await peer.untilEndOrClose(waited, `${FILE} to close after the client's FIN`).then(() => true, () => false);
    failIfExited(served.server, 'after a client ended in the middle of a line');
    const { lines: replies, rest } = await awaitLines(peer, 1, 0, 'the answers so far');
    const expected = numbered([line]);
    if (replies.join('\n') === expected.join('\n') && !rest && ended) return;
    const answeredTail = [...replies, rest].some((reply) => reply.endsWith(tail));
    fail(answeredTail
      ? `${FILE} answered the unfinished line "${tail}" that the client never ended with "\\n"`
      : `${FILE} did not answer "${line}" and close, when the client ended after "${tail}" without "\\n"`, {
      expected: `${showLines(expected)}, then FIN`,
      actual: `${showLines(replies, rest)}${ended ? ', then FIN' : `, connection still open after ${formatDuration(waited)}`}`,
      diagnosis: answeredTail ? diagnoses['answers-unfinished-line'] : diagnoseReply(line, 1, replies[0]),
    });
  },
};
