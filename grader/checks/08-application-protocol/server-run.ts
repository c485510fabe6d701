// Lesson 8's server scenario, well-formed requests: one run of server.ts, a new connection for
// each check, its requests whole, cut at every boundary, run together, binary, or from two
// clients at once. The hostile requests follow in hostile.ts.
import { listensCheck } from '../shared/served.ts';
import { sleep } from '../../run/deadline.ts';
import { withFact } from '../check.ts';
import { scenario, type ScenarioCheck } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { hostileChecks } from './hostile.ts';
import { expectReplies } from './replies.ts';
import { newConnection, sendInPieces, served, SERVER, type ServerSession } from './server-session.ts';
import { BINARY_TYPE, JSON_TYPE, MAX_CONTENT_BYTES, MAX_HEADER_BYTES, message, noMatch, rawMessage, search, TABLE } from './wire.ts';

/** A search for `value` whose JSON header is padded with spaces (JSON allows them) to exactly `bytes`. */
function searchWithHeaderOf(bytes: number, value: string): Buffer {
  const content = Buffer.from(JSON.stringify({ action: 'search', value }));
  const header = JSON.stringify({ byteorder: 'big', 'content-type': JSON_TYPE, 'content-encoding': 'utf-8', 'content-length': content.length });
  return rawMessage(`${header.slice(0, -1)}${' '.repeat(bytes - Buffer.byteLength(header))}}`, content);
}

/** Keys whose bytes outnumber their characters, as do their values. */
const MULTIBYTE_KEYS = ['🐶', 'grüße'] as const;

const wellFormed: readonly ScenarioCheck<ServerSession>[] = [
  listensCheck(SERVER),
  {
    id: 'answers-search',
    title: 'answers a search for a key of the table (multibyte UTF-8) with its value, content-length in bytes',
    hint: 'Read the 2-byte big-endian header length, the JSON header, then content-length bytes; answer {"result": value} in a message whose header length and content-length count bytes.',
    async run(context, session) {
      const run = served(session);
      const peer = await newConnection(context, run, 'client-2');
      const key = context.random('search').pick(MULTIBYTE_KEYS);
      await peer.send(search(key));
      await expectReplies({ server: run.server, peer, wants: [{ result: TABLE[key]! }], what: `a search for ${JSON.stringify(key)} in one write`, deadlineMs: context.ms(3000) });
    },
  },
  {
    id: 'answers-split',
    title: 'answers requests cut inside the 2-byte length, inside the JSON header and inside the content',
    hint: 'Any part of a message can end a "data" event. Keep a buffer per connection, and read each part only once all its bytes are there.',
    async run(context, session) {
      const run = served(session);
      const random = context.random('split');
      const places = ['inside the 2-byte length', 'inside the JSON header', 'inside the content'] as const;
      for (const [index, place] of places.entries()) {
        const peer = await newConnection(context, run, `client-split-${index + 1}`);
        const value = index === 2 ? `café ☕ ${random.word(4, 10)}` : random.pick(['morpheus', 'ring', ...MULTIBYTE_KEYS]);
        const wire = search(value);
        const headerLength = wire.readUInt16BE(0);
        const cut = index === 0 ? 1 : index === 1 ? 2 + random.int(1, headerLength - 1) : 2 + headerLength + random.int(1, wire.length - headerLength - 3);
        await sendInPieces(peer, wire, [cut], 60);
        await expectReplies({
          server: run.server,
          peer,
          wants: [{ result: TABLE[value] ?? noMatch(value) }],
          what: `a search cut ${place} (at byte ${cut} of ${wire.length}, 60 ms apart)`,
          deadlineMs: context.ms(5000),
          diagnosis: withFact(diagnoses['assumes-whole-message'], `It was cut ${place}.`),
        });
      }
    },
  },
  {
    id: 'answers-coalesced',
    title: 'answers each of 5 requests sent in one write, in order',
    hint: 'One "data" event can hold several messages. After one, keep the bytes after it and loop while another whole message is buffered.',
    async run(context, session) {
      const run = served(session);
      const peer = await newConnection(context, run, 'client-3');
      const random = context.random('coalesced');
      // Text-safe bytes: the binary check is the one for every byte value.
      const bytes = Buffer.from(random.word(5, 40));
      const missing = `nobody ${random.word(3, 8)}`;
      await peer.send(Buffer.concat([search('morpheus'), message(BINARY_TYPE, bytes), search('🐶'), search(missing), search('ring')]));
      await expectReplies({
        server: run.server,
        peer,
        wants: [{ result: TABLE.morpheus! }, { binary: Buffer.from(bytes).reverse() }, { result: TABLE['🐶']! }, { result: noMatch(missing) }, { result: TABLE.ring! }],
        what: '5 requests in one write',
        deadlineMs: context.ms(3000),
        diagnosis: diagnoses['answers-first-request-only'],
      });
    },
  },
  {
    id: 'answers-binary',
    title: 'answers binary content holding every byte value, and empty content, with the bytes reversed',
    hint: 'Binary content is bytes, not text: keep it a Buffer (no toString), reverse a copy (Buffer.from(content).reverse()), and send it with content-type binary/custom-client-binary-type.',
    async run(context, session) {
      const run = served(session);
      const peer = await newConnection(context, run, 'client-4');
      const random = context.random('binary');
      const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => (i + random.int(0, 255)) & 0xff));
      const contents = [Buffer.concat([everyByte, Buffer.from(Array.from({ length: 256 }, (_, i) => i))]), Buffer.alloc(0), random.bytes(random.int(1000, 3000))];
      await peer.send(Buffer.concat(contents.map((content) => message(BINARY_TYPE, content))));
      await expectReplies({ server: run.server, peer, wants: contents.map((content) => ({ binary: Buffer.from(content).reverse() })), what: 'binary requests: every byte value, empty, random', deadlineMs: context.ms(5000) });
    },
  },
  {
    id: 'accepts-limits',
    title: `answers a header of exactly ${MAX_HEADER_BYTES} bytes, content of exactly ${MAX_CONTENT_BYTES} bytes, and a search for "constructor", which every object has but the table does not`,
    hint: `Both limits include their edge: refuse a header length only above ${MAX_HEADER_BYTES} and a content-length only above ${MAX_CONTENT_BYTES} (>, not >=). Look a value up only among the table's own keys: Object.hasOwn(TABLE, value), or a Map.`,
    async run(context, session) {
      const run = served(session);
      const biggest = context.random('limits').bytes(MAX_CONTENT_BYTES);
      // One request per connection: a refusal ends its connection, and each is judged alone.
      const requests = [
        { wire: searchWithHeaderOf(MAX_HEADER_BYTES, 'ring'), want: { result: TABLE.ring!, diagnosis: diagnoses['header-limit-exclusive'] }, what: `a search with a header of exactly ${MAX_HEADER_BYTES} bytes` },
        { wire: message(BINARY_TYPE, biggest), want: { binary: Buffer.from(biggest).reverse(), diagnosis: diagnoses['content-limit-exclusive'] }, what: `binary content of exactly ${MAX_CONTENT_BYTES} bytes` },
        { wire: search('constructor'), want: { result: noMatch('constructor'), diagnosis: diagnoses['inherited-table-keys'] }, what: 'a search for "constructor"' },
      ];
      for (const [index, { wire, want, what }] of requests.entries()) {
        const peer = await newConnection(context, run, `client-limits-${index + 1}`);
        await peer.send(wire);
        await expectReplies({ server: run.server, peer, wants: [want], what, deadlineMs: context.ms(5000) });
      }
    },
  },
  {
    id: 'serves-concurrently',
    title: 'answers a second client while the first is in the middle of a request',
    hint: 'Each connection needs its own buffer and state: make them inside the connection callback, never one for the whole server.',
    async run(context, session) {
      const run = served(session);
      const [a, b] = [await newConnection(context, run, 'client-5'), await newConnection(context, run, 'client-6')];
      const wireA = search('ring');
      await a.send(wireA.subarray(0, 2 + 10));
      await sleep(40);
      await b.send(search('morpheus'));
      await expectReplies({ server: run.server, peer: b, wants: [{ result: TABLE.morpheus! }], what: 'a search from a second client while the first had sent part of its header', deadlineMs: context.ms(5000), diagnosis: diagnoses['shares-one-buffer'] });
      await a.send(wireA.subarray(2 + 10));
      await expectReplies({ server: run.server, peer: a, wants: [{ result: TABLE.ring! }], what: 'the rest of the first client\'s search', deadlineMs: context.ms(5000), diagnosis: diagnoses['shares-one-buffer'] });
    },
  },
];

export const serverRun = scenario('one run of server.ts, a new connection for each check', (): ServerSession => ({}), [...wellFormed, ...hostileChecks]);
