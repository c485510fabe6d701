// Many clients of the one server run: two interleaved ones that each count their own lines,
// then 200 connected at once, served whichever speaks.
import type { TcpPeer } from '../../net/tcp-peer.ts';
import { sleep } from '../../run/deadline.ts';
import { fail, withFact, type Diagnosis } from '../check.ts';
import type { ScenarioCheck } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { failIfExited } from './exited.ts';
import { awaitLines, diagnoseReply, numbered, replyNumber, showLines, type Replies } from './lines.ts';
import { connectTo, FILE, seededLines, servedBy, type OneServer } from './session.ts';

/** 400 descriptors across the two processes: far below Linux's usual limit, under macOS's 256 each. */
export const MANY_CLIENTS = 200;

/** What two clients' wrong answers say: one counter for all (numbers above 3), one buffer for all (lines glued). */
function diagnoseCounters(gotA: readonly string[], gotB: readonly string[], sentAll: readonly string[]): Diagnosis | undefined {
  const replies = [...gotA, ...gotB];
  if (replies.map(replyNumber).some((n) => n !== undefined && n > 3)) return diagnoses['shared-counter'];
  if (replies.some((reply) => !sentAll.includes(reply.replace(/^\d+ /, '')))) {
    return withFact(diagnoses['shared-buffer'], "One client's unfinished line was glued to another client's line.");
  }
  return undefined;
}

/** Why the last of many clients got no answer or a wrong one. */
function diagnoseLastAnswer(opener: string, answer: Replies): Diagnosis | undefined {
  if (answer.lines.length === 0 && !answer.rest) return diagnoses['serves-one-at-a-time'];
  return diagnoseReply(opener, 1, answer.lines[0]);
}

export const countsPerConnection: ScenarioCheck<OneServer> = {
  id: 'counts-per-connection',
  title: 'two interleaved clients each see their own line numbers 1, 2, 3',
  hint: 'Keep the line counter and the buffer inside the connection callback, one per socket: a variable outside it is shared by every client.',
  async run(context, session) {
    const served = servedBy(session);
    const a = await connectTo(context, served, 'client-a');
    const b = await connectTo(context, served, 'client-b');
    const linesA = seededLines(context, 'per-connection-a', 'a', 3);
    const linesB = seededLines(context, 'per-connection-b', 'b', 3);
    // Alternate the two clients' lines, each of A's cut around one of B's, so that B's
    // line arrives while half of A's waits in A's buffer. Only A's answers are awaited
    // before A ends, so this check needs no concurrency (the next check's job).
    for (let i = 0; i < 3; i++) {
      const lineA = linesA[i]!;
      await a.send(lineA.slice(0, 3));
      await sleep(context.ms(50));
      await b.send(`${linesB[i]}\n`);
      await sleep(context.ms(50));
      await a.send(`${lineA.slice(3)}\n`);
      await awaitLines(a, i + 1, context.ms(3000), `the answer to "${lineA}"`);
    }
    const gotA = (await awaitLines(a, 3, context.ms(3000), 'three answers on client-a')).lines;
    a.end();
    const gotB = (await awaitLines(b, 3, context.ms(5000), 'three answers on client-b')).lines;
    b.end();
    failIfExited(served.server, 'while two clients sent lines');
    for (const [name, got, expected, sent] of [
      ['client-a', gotA, numbered(linesA), linesA],
      ['client-b', gotB, numbered(linesB), linesB],
    ] as const) {
      if (got.join('\n') === expected.join('\n')) continue;
      fail(`${name} got ${got.length ? `the numbers ${got.map((reply) => replyNumber(reply) ?? '?').join(', ')}` : 'no answer'} for its three lines`, {
        expected: `${name}: ${showLines(expected)}`,
        actual: `client-a: ${showLines(gotA)}; client-b: ${showLines(gotB)}`,
        diagnosis: diagnoseCounters(gotA, gotB, [...linesA, ...linesB]) ?? diagnoseReply(sent[0]!, 1, got[0]),
      });
    }
  },
};

export const servesManyAtOnce: ScenarioCheck<OneServer> = {
  id: 'serves-many-at-once',
  title: `serves ${MANY_CLIENTS} clients connected at once, the last one first`,
  hint: 'Never wait for one connection to finish before serving the next. Each socket gets its own event handlers; the event loop runs whichever is ready.',
  async run(context, session) {
    const served = servedBy(session);
    const random = context.random('many');
    const peers: TcpPeer[] = [];
    for (let i = 1; i <= MANY_CLIENTS; i++) peers.push(await connectTo(context, served, `many-${i}`));
    // The kernel completes a connect on its own (the listen backlog); only an answer
    // shows that the server is serving this connection.
    const last = peers.at(-1)!;
    const opener = `last-${random.word(4, 8)}`;
    await last.send(`${opener}\n`);
    const answer = await awaitLines(last, 1, context.ms(5000), `an answer to the last of ${MANY_CLIENTS} clients`);
    failIfExited(served.server, `with ${MANY_CLIENTS} clients connected`);
    if (answer.lines[0] !== `1 ${opener}`) {
      const silent = answer.lines.length === 0 && !answer.rest;
      fail(silent
        ? `${FILE} did not answer the ${MANY_CLIENTS}th client while the other ${MANY_CLIENTS - 1} were connected and silent`
        : `${FILE} answered the ${MANY_CLIENTS}th client wrongly`, {
        expected: showLines([`1 ${opener}`]),
        actual: showLines(answer.lines, answer.rest),
        diagnosis: diagnoseLastAnswer(opener, answer),
      });
    }
    // A client that sends nothing yet is not finished (the check's hint says so).
    const dropped = peers.filter((peer) => peer !== last && (peer.gotEnd || peer.closed));
    if (dropped.length > 0) {
      fail(`${FILE} closed ${dropped.length} silent client${dropped.length === 1 ? '' : 's'} (first: ${dropped[0]!.name}); close a connection only after its client has ended it`, {
        expected: 'silent clients stay connected',
        actual: `${dropped.length} connections closed by the server`,
      });
    }
    last.clear();
    const sent = peers.map((_, i) => `c${i + 1}-${random.word(3, 8)}`);
    await Promise.all(peers.map((peer, i) => peer.send(`${sent[i]}\n`)));
    const deadline = context.ms(10_000);
    const got = await Promise.all(peers.map((peer) => awaitLines(peer, 1, deadline, `an answer on ${peer.name}`)));
    failIfExited(served.server, `while ${MANY_CLIENTS} clients sent a line each`);
    const wrong = got.flatMap((reply, i) => {
      const expected = `${i === MANY_CLIENTS - 1 ? 2 : 1} ${sent[i]}`;
      return reply.lines[0] === expected ? [] : [{ i, expected, reply }];
    });
    if (wrong.length > 0) {
      const { i, expected, reply } = wrong[0]!;
      const unanswered = reply.lines.length === 0 && !reply.rest;
      fail(`${wrong.length} of ${MANY_CLIENTS} clients did not get their own answer (first: many-${i + 1})${unanswered ? ': every connection must be served while the others stay connected' : ''}`, {
        expected: `many-${i + 1}: ${showLines([expected])}`,
        actual: `many-${i + 1}: ${showLines(reply.lines, reply.rest)}`,
        diagnosis: unanswered ? undefined : diagnoseReply(sent[i]!, 1, reply.lines[0]),
      });
    }
    for (const peer of peers) peer.end();
    // Let the server's 200 FINs arrive now rather than in the next check's transcript.
    // Not a requirement here: ending after the client is the last check's business.
    await Promise.all(peers.map((peer) => peer.untilEndOrClose(context.ms(1000), 'FIN').catch(() => undefined)));
  },
};
