// Waiting for a server's replies and failing with what was wrong about them.
import type { TcpPeer } from '../../net/tcp-peer.ts';
import { describeExit, type RunningProgram } from '../../run/program.ts';
import { fail, type Diagnosis } from '../check.ts';
import { crashReport, exitWithin } from '../shared/exit.ts';
import { diagnoses } from './diagnoses.ts';
import { BINARY_TYPE, countedCharacters, decodeStream, describeMessage, FIELDS, JSON_TYPE, jsonContent, type Decoded } from './wire.ts';

/** One reply a request must get; `diagnosis` names the likely mistake when this one is wrong. */
export type Want = ({ readonly result: string } | { readonly binary: Buffer } | { readonly error: string }) & { readonly diagnosis?: Diagnosis };

export interface ReplyExpectation {
  readonly server: RunningProgram;
  readonly peer: TcpPeer;
  readonly wants: readonly Want[];
  /** What the replies are for: "a search sent in one write". */
  readonly what: string;
  readonly deadlineMs: number;
  /** The server must end the connection after the last reply (a header it cannot read on). */
  readonly thenEnd?: boolean;
  /** The mistake when the server crashed. */
  readonly crashDiagnosis?: Diagnosis;
  /** The mistake for a reply missing or wrong, when the bytes show nothing more precise. */
  readonly diagnosis?: Diagnosis;
  /** The mistake when more replies came than wanted. */
  readonly extraDiagnosis?: Diagnosis;
}

const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

function showWant(want: Want): string {
  if ('result' in want) return `text/json {"result": ${JSON.stringify(want.result)}}`;
  if ('error' in want) return `text/json {"error": "${want.error}", ...}`;
  return `${BINARY_TYPE}, ${want.binary.length} bytes`;
}

/** What is wrong with one reply, or undefined when it is the one wanted. */
function judge(data: Buffer, got: Decoded, want: Want): { what: string; diagnosis?: Diagnosis } | undefined {
  const missing = FIELDS.find((field) => !(field in got.header));
  if (missing) return { what: `its header has no "${missing}"` };
  const type = got.header['content-type'];
  if ('binary' in want) {
    if (type !== BINARY_TYPE) return { what: `its content-type is ${JSON.stringify(type)}` };
    if (got.content.equals(want.binary)) return undefined;
    const decoded = got.content.includes(REPLACEMENT) && !want.binary.includes(REPLACEMENT);
    return { what: 'its content is not the request\'s bytes reversed', diagnosis: decoded ? diagnoses['decodes-binary-as-text'] : undefined };
  }
  if (type !== JSON_TYPE) return { what: `its content-type is ${JSON.stringify(type)}` };
  const body = jsonContent(got);
  if (!body) {
    return { what: 'its content is not a JSON object', diagnosis: countedCharacters(data, got) ? diagnoses['content-length-in-characters'] : undefined };
  }
  if ('result' in want) return body.result === want.result ? undefined : { what: `its content is ${JSON.stringify(body).slice(0, 160)}` };
  return body.error === want.error ? undefined : { what: `its content is ${JSON.stringify(body).slice(0, 160)}` };
}

/** Resolves once every wanted reply came back right (and the connection ended, if it must); fails naming the first wrong one. */
export async function expectReplies(expectation: ReplyExpectation): Promise<void> {
  const { server, peer, wants, what, deadlineMs } = expectation;
  const settled = () => {
    const data = peer.data();
    const { messages, problem } = decodeStream(data);
    const enough = messages.length >= wants.length && (!expectation.thenEnd || peer.gotEnd);
    // A wrong reply is a failure whatever follows: no need to wait for the end.
    const wrongAlready = messages.length >= wants.length && wants.some((want, i) => judge(data, messages[i]!, want) !== undefined);
    return enough || wrongAlready || problem !== undefined || peer.gotEnd || peer.closed || !server.running;
  };
  await peer.until(settled, deadlineMs, `${wants.length} replies to ${what}`).catch(() => undefined);
  const data = peer.data();
  const { messages, problem, rest } = decodeStream(data);
  if (server.running && (peer.gotEnd || peer.closed) && messages.length < wants.length) await exitWithin(server, 500);
  const crash = server.running ? undefined : crashReport(server.stderr.text);
  const ended = server.running
    ? peer.error
      ? `; the connection was reset (${peer.error.code})`
      : peer.gotEnd || peer.closed
        ? '; then the server ended the connection'
        : ''
    : `; ${server.label} ${describeExit(server.exit!)}${crash ? ` after an uncaught error: ${crash.trim()}` : ''}`;
  const crashed = !server.running && expectation.crashDiagnosis;
  for (let i = 0; i < wants.length; i++) {
    const want = wants[i]!;
    const got = messages[i];
    if (!got) {
      const diagnosis = problem?.kind === 'little-endian' ? diagnoses['little-endian-header-length'] : crashed ? expectation.crashDiagnosis : (want.diagnosis ?? expectation.diagnosis);
      fail(`${what}: ${i} of ${wants.length} replies came back${ended}`, {
        expected: `reply ${i + 1}: ${showWant(want)}`,
        actual: problem ? `then ${problem.what}` : rest.length ? `then ${rest.length} bytes that do not make a whole message` : 'then nothing',
        diagnosis,
      });
    }
    const wrong = judge(data, got, want);
    if (wrong) {
      fail(`${what}: reply ${i + 1} of ${wants.length} is wrong: ${wrong.what}`, {
        expected: showWant(want),
        actual: describeMessage(got),
        diagnosis: wrong.diagnosis ?? want.diagnosis ?? expectation.diagnosis,
      });
    }
  }
  if (messages.length > wants.length) {
    fail(`${what}: ${messages.length} replies came back for ${wants.length}`, {
      expected: `${wants.length} replies${expectation.thenEnd ? ', then the end of the connection' : ''}`,
      actual: `reply ${wants.length + 1}: ${describeMessage(messages[wants.length]!)}`,
      diagnosis: expectation.extraDiagnosis,
    });
  }
  if (expectation.thenEnd && !peer.gotEnd && !peer.closed) {
    fail(`${what}: the server kept the connection open after the error reply`, {
      expected: 'the error reply, then the end of the connection (nothing after a bad header can be read)',
      actual: 'the connection still open',
    });
  }
}
