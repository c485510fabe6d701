// The first checks of the one server run: one client's lines answered, whole and byte for
// byte. They use a single connection, so a server with a global counter or one that serves
// clients one at a time still reaches the check made to catch it.
import { sleep } from '../../run/deadline.ts';
import { fail, type Diagnosis } from '../check.ts';
import type { ScenarioCheck } from '../lesson.ts';
import { startServerAndConnect } from '../shared/listening.ts';
import { BYTE_LINES, diagnoseBytes, SPLIT_UTF8_PIECES } from './bytes.ts';
import { diagnoses } from './diagnoses.ts';
import { failIfExited } from './exited.ts';
import { awaitLines, diagnoseReply, lineReaderOf, numbered, showLines, type Replies } from './lines.ts';
import { FILE, seededLines, servedBy, type OneServer } from './session.ts';

/** Why the first line's answer is wrong, when the reply itself does not say. */
function diagnoseFirstAnswer(line: string, { lines: replies, rest }: Replies, closed: boolean): Diagnosis | undefined {
  const fromReply = diagnoseReply(line, 1, replies[0]);
  if (fromReply) return fromReply;
  if (rest) return diagnoses['reply-without-newline'];
  if (replies.length > 0) return undefined;
  return closed ? diagnoses['closes-without-answering'] : diagnoses['answers-nothing'];
}

/** A reply whose text is not one of the lines sent answered a piece, or several lines glued. */
function diagnoseWholeLines(sent: readonly string[], { lines: replies, rest }: Replies): Diagnosis | undefined {
  const perChunk = rest !== '' || replies.some((reply) => !sent.includes(reply.replace(/^\d+ /, '')));
  return perChunk ? diagnoses['answers-per-chunk'] : diagnoseReply(sent[0]!, 2, replies[0]);
}

export const answersALine: ScenarioCheck<OneServer> = {
  id: 'answers-a-line',
  title: 'listens on HOST:PORT and answers "hello\\n" with "1 hello\\n"',
  hint: 'Listen on PORT and HOST from the environment; for each complete line write `${count} ${line}\\n`, count starting at 1.',
  async run(context, session) {
    const { program: server, port, peer: first } = await startServerAndConnect(context, FILE);
    session.served = { server, port, first };
    const line = `hello ${context.random('hello').word(3, 8)}`;
    await first.send(`${line}\n`);
    const replies = await awaitLines(first, 1, context.ms(5000), `the answer to "${line}"`);
    failIfExited(server, 'after its first line');
    const expected = `1 ${line}`;
    if (replies.lines[0] !== expected) {
      const silent = replies.lines.length === 0 && !replies.rest;
      fail(silent ? `${FILE} did not answer the line "${line}"` : `${FILE} answered "${line}" wrongly`, {
        expected: showLines([expected]),
        actual: showLines(replies.lines.slice(0, 3), replies.rest),
        diagnosis: diagnoseFirstAnswer(line, replies, first.gotEnd || first.closed),
      });
    }
    first.clear();
  },
};

export const answersWholeLines: ScenarioCheck<OneServer> = {
  id: 'answers-whole-lines',
  title: 'answers a line split across writes once, whole, and several lines in one write each',
  hint: 'One "data" event is not one line. Append every chunk to this connection\'s buffer, answer each complete line in it, and keep the unfinished rest for the next chunk.',
  async run(context, session) {
    const { server, first } = servedBy(session);
    const [split, both1, both2, tail1, tail2] = seededLines(context, 'whole-lines', 'part', 5) as [string, string, string, string, string];
    // Pauses between the pieces let each arrive as its own "data" event.
    const pieces = [split.slice(0, 3), split.slice(3), '\n', `${both1}\n${both2}\n`, `${tail1}\n${tail2.slice(0, 2)}`, `${tail2.slice(2)}\n`];
    for (const [index, piece] of pieces.entries()) {
      await first.send(piece);
      if (index < pieces.length - 1) await sleep(context.ms(200));
    }
    const sent = [split, both1, both2, tail1, tail2];
    const expected = numbered(sent, 2);
    const replies = await awaitLines(first, expected.length, context.ms(3000), `${expected.length} answers`);
    failIfExited(server, 'while a line arrived in pieces');
    if (replies.lines.join('\n') !== expected.join('\n') || replies.rest) {
      fail(`${FILE} answered ${replies.lines.length} line${replies.lines.length === 1 ? '' : 's'} for the 5 it was sent in ${pieces.length} pieces`, {
        expected: showLines(expected),
        actual: showLines(replies.lines, replies.rest),
        diagnosis: diagnoseWholeLines(sent, replies),
      });
    }
  },
};

export const answersLinesAsBytes: ScenarioCheck<OneServer> = {
  id: 'answers-lines-as-bytes',
  title: 'answers lines byte for byte: bytes above 0x7F, spaces and tabs at the ends, "\\r", empty lines',
  hint: 'A line is every byte before "\\n", whatever they are: answer it exactly as it came, with no decoding, trimming or skipping.',
  async run(context, session) {
    const { server, first } = servedBy(session);
    first.clear();
    const sentinel = `last-${context.random('bytes').word(3, 8)}`;
    const sent = [...BYTE_LINES.map((line) => line.bytes), Buffer.from(sentinel, 'latin1')];
    // The first line's pieces arrive as their own "data" events, each cut inside a character.
    const [head, ...pieces] = SPLIT_UTF8_PIECES;
    await first.send(head!);
    for (const piece of pieces) {
      await sleep(context.ms(150));
      await first.send(piece);
    }
    await first.send(Buffer.concat([Buffer.from('\n'), ...sent.slice(1).flatMap((line) => [line, Buffer.from('\n')])]));
    const reader = lineReaderOf(first);
    await first
      .until(() => reader.lines.some((reply) => reply.endsWith(sentinel)) || first.gotEnd || first.closed, context.ms(5000), `the answer to "${sentinel}"`)
      .catch(() => undefined);
    const replies = [...reader.lines];
    failIfExited(server, 'after lines with bytes above 0x7F, spaces, "\\r" and an empty line');
    const expected = numbered(sent.map((line) => line.toString('latin1')), 7);
    if (replies.join('\n') !== expected.join('\n')) {
      const wrong = expected.filter((line, i) => replies[i] !== line).length;
      fail(`${FILE} did not answer ${wrong} of ${sent.length} lines byte for byte`, {
        expected: showLines(expected),
        actual: showLines(replies, reader.rest()),
        diagnosis: diagnoseBytes(replies) ?? diagnoseReply(sentinel, 7 + BYTE_LINES.length, replies.at(-1)),
      });
    }
    first.end(); // done with this client; a server that serves one at a time may move on
  },
};
