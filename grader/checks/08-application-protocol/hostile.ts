// Lesson 8's hostile requests, on the server run of server-run.ts: each kind of malformed
// request gets its error reply, the stream goes on where it can, and no other client notices.
import { sleep } from '../../run/deadline.ts';
import { fail } from '../check.ts';
import type { ScenarioCheck } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { expectReplies } from './replies.ts';
import { newConnection, served, type ServerSession } from './server-session.ts';
import { BINARY_TYPE, JSON_TYPE, jsonMessage, message, rawMessage, search, TABLE } from './wire.ts';
import { badFieldCases, notUtf8Header } from './hostile-headers.ts';

/** A header length far over the 4096 the protocol allows. */
const HOSTILE_LENGTH = 0xf000;

export const hostileChecks: readonly ScenarioCheck<ServerSession>[] = [
  {
    id: 'rejects-oversized-header',
    title: `answers a header length of ${HOSTILE_LENGTH} with "header-too-large" at once, after the reply to the search before it in the same write, and ends that connection`,
    hint: 'Compare the 2-byte length with 4096 as soon as both bytes are in; over it, send the error reply and end the connection without waiting for the header.',
    async run(context, session) {
      const run = served(session);
      const peer = await newConnection(context, run, 'client-7');
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(HOSTILE_LENGTH, 0);
      // A whole search first, in the same write: its reply is owed before the error's.
      await peer.send(Buffer.concat([search('ring'), prefix, Buffer.from(`{"byteorder": "big", "padding": "${'x'.repeat(200)}`)]));
      await expectReplies({
        server: run.server,
        peer,
        wants: [{ result: TABLE.ring!, diagnosis: diagnoses['drops-replies-before-error'] }, { error: 'header-too-large' }],
        what: `a search, then a header length of ${HOSTILE_LENGTH} and 236 bytes of it, in one write`,
        deadlineMs: context.ms(3000),
        thenEnd: true,
        diagnosis: diagnoses['trusts-header-length'],
      });
    },
  },
  {
    id: 'rejects-invalid-header',
    title: 'answers a header that is not JSON, JSON but not an object (null, an array), or holding a byte that is not UTF-8, with "invalid-header", ends that connection, and keeps running',
    hint: 'Decode the header with new TextDecoder("utf-8", { fatal: true }) and JSON.parse it, both inside try/catch, then check that it is an object (not null, not an array); otherwise send the error reply and end that connection.',
    async run(context, session) {
      const run = served(session);
      const notJson = diagnoses['crashes-on-invalid-header'];
      const notObject = diagnoses['accepts-non-object-header'];
      const cases = [
        { what: 'a header cut off in the middle of its JSON', wire: rawMessage('{"byteorder": "big", "content-type": '), diagnosis: undefined, crash: notJson },
        { what: 'a header that is the JSON null', wire: rawMessage('null'), diagnosis: notObject, crash: notObject },
        { what: 'a header that is a JSON array', wire: rawMessage('["big", "text/json", "utf-8", 0]'), diagnosis: notObject, crash: notObject },
        { what: 'a header whose "byteorder" holds the byte FF (not UTF-8), then a search', wire: notUtf8Header(), diagnosis: diagnoses['accepts-invalid-utf8-header'], crash: notJson },
      ];
      for (const [index, { what, wire, diagnosis, crash }] of cases.entries()) {
        const peer = await newConnection(context, run, `client-8-${index + 1}`);
        await peer.send(wire);
        await expectReplies({ server: run.server, peer, wants: [{ error: 'invalid-header' }], what, deadlineMs: context.ms(3000), thenEnd: true, diagnosis, crashDiagnosis: crash });
      }
    },
  },
  {
    id: 'rejects-bad-field',
    title: 'answers with "bad-field" a header lacking any one field, one with any field of the wrong type, and a content-length too large, fractional or negative',
    hint: 'Check every field of the header before using it: "byteorder", "content-type" and "content-encoding" strings, "content-length" an integer from 0 to 1048576; refuse anything else at once, without waiting for its content.',
    async run(context, session) {
      const run = served(session);
      for (const [index, { what, header, content, diagnosis }] of badFieldCases().entries()) {
        const peer = await newConnection(context, run, `client-9-${index + 1}`);
        await peer.send(rawMessage(JSON.stringify(header), content));
        await expectReplies({ server: run.server, peer, wants: [{ error: 'bad-field' }], what, deadlineMs: context.ms(3000), thenEnd: true, diagnosis });
      }
    },
  },
  {
    id: 'rejects-unknown-content-type',
    title: 'answers content of an unknown type with "unknown-content-type" and serves the next request on that connection',
    hint: 'An unknown content-type still comes with a valid content-length: skip that content, send the error reply and keep reading the connection.',
    async run(context, session) {
      const run = served(session);
      const peer = await newConnection(context, run, 'client-10');
      await peer.send(Buffer.concat([message('text/plain', Buffer.from('hello, plain text')), search('ring')]));
      await expectReplies({
        server: run.server,
        peer,
        wants: [{ error: 'unknown-content-type' }, { result: TABLE.ring!, diagnosis: diagnoses['ends-on-recoverable-error'] }],
        what: 'a text/plain request and a search in one write',
        deadlineMs: context.ms(3000),
      });
    },
  },
  {
    id: 'rejects-unknown-action',
    title: 'answers an unknown action with "unknown-action" and content that is not JSON with "invalid-content", then serves the next request',
    hint: 'Parse text/json content inside try/catch, check that "action" is "search" and "value" a string, and answer each problem with its error reply.',
    async run(context, session) {
      const run = served(session);
      const peer = await newConnection(context, run, 'client-11');
      await peer.send(Buffer.concat([jsonMessage({ action: 'delete', value: 'ring' }), message(JSON_TYPE, Buffer.from('{"action": search')), search('morpheus')]));
      await expectReplies({
        server: run.server,
        peer,
        wants: [{ error: 'unknown-action', diagnosis: diagnoses['ignores-action'] }, { error: 'invalid-content' }, { result: TABLE.morpheus! }],
        what: 'an unknown action, content that is not JSON and a search, in one write',
        deadlineMs: context.ms(3000),
        crashDiagnosis: diagnoses['crashes-on-invalid-content'],
      });
    },
  },
  {
    id: 'ends-cleanly',
    title: 'ends the connection, sending nothing more, when a client ends it right after its last whole request',
    hint: 'On "end" with no byte of an unfinished message left (no partial length, header or content, no header awaiting its content), send nothing: just end your side.',
    async run(context, session) {
      const run = served(session);
      const peer = await newConnection(context, run, 'client-12');
      // The last request has empty content: its header is the whole message.
      await peer.send(Buffer.concat([search('ring'), message(BINARY_TYPE, Buffer.alloc(0))]));
      peer.end();
      await expectReplies({
        server: run.server,
        peer,
        wants: [{ result: TABLE.ring! }, { binary: Buffer.alloc(0) }],
        what: 'a search and an empty binary request, then the end',
        deadlineMs: context.ms(3000),
        thenEnd: true,
        extraDiagnosis: diagnoses['reply-after-clean-end'],
      });
    },
  },
  {
    id: 'rejects-truncated',
    title: 'answers a client that ends the connection inside the 2-byte length, the header or the content, or right after a header announcing content, with "truncated", then ends',
    hint: 'On "end", if any part of an unfinished message has arrived (a byte of the length, part of the header, a header whose content is awaited, part of the content), send the "truncated" error reply, then end.',
    async run(context, session) {
      const run = served(session);
      const wire = message(JSON_TYPE, Buffer.from(JSON.stringify({ action: 'search', value: 'x'.repeat(90) })));
      const headerEnd = 2 + wire.readUInt16BE(0);
      const cuts = [
        { at: wire.length - 60, what: 'a request whose last 60 bytes never came, then the end', diagnosis: diagnoses['silent-on-truncation'] },
        { at: 1, what: 'one byte of a 2-byte header length, then the end', diagnosis: diagnoses['silent-on-truncation'] },
        { at: 2 + Math.floor((headerEnd - 2) / 2), what: 'a request cut in the middle of its header, then the end', diagnosis: diagnoses['silent-on-truncation'] },
        { at: headerEnd, what: `a whole header announcing ${wire.length - headerEnd} bytes of content and none of them, then the end`, diagnosis: diagnoses['truncated-after-header'] },
      ];
      // Every cut at once on its own connection, so the pause before the end is paid once.
      const peers = [];
      for (const [index, { at }] of cuts.entries()) {
        const peer = await newConnection(context, run, `client-13-${index + 1}`);
        await peer.send(wire.subarray(0, at));
        peers.push(peer);
      }
      await sleep(40);
      for (const peer of peers) peer.end();
      for (const [index, { what, diagnosis }] of cuts.entries()) {
        await expectReplies({ server: run.server, peer: peers[index]!, wants: [{ error: 'truncated' }], what, deadlineMs: context.ms(3000), thenEnd: true, diagnosis });
      }
    },
  },
  {
    id: 'other-clients-unaffected',
    title: 'answers another client, connected all along, after one client sent a header that is not JSON',
    hint: 'A malformed request concerns its own connection: end that one only, never the listening server or the other sockets.',
    async run(context, session) {
      const run = served(session);
      const [calm, hostile] = [await newConnection(context, run, 'client-14'), await newConnection(context, run, 'client-15')];
      await hostile.send(rawMessage('not json at all'));
      await hostile.untilEndOrClose(context.ms(3000), 'the server to end the hostile connection').catch(() => undefined);
      await sleep(40);
      if (calm.closed || calm.gotEnd) {
        fail('the server closed a calm client\'s connection when another client sent a bad header', { expected: 'the calm connection left open', actual: 'it was closed', diagnosis: diagnoses['closes-other-clients'] });
      }
      await calm.send(search('🐶'));
      await expectReplies({ server: run.server, peer: calm, wants: [{ result: TABLE['🐶']! }], what: 'a search from a client that was connected while another sent a bad header', deadlineMs: context.ms(3000), diagnosis: diagnoses['closes-other-clients'] });
    },
  },
];
