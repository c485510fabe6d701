// Lesson 8's hostile requests, on the server run of server-run.ts: each kind of malformed
// request gets its error reply, the stream goes on where it can, and no other client notices.
import { sleep } from '../../run/deadline.ts';
import { fail } from '../check.ts';
import type { ScenarioCheck } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { expectReplies } from './replies.ts';
import { newConnection, served, type ServerSession } from './server-session.ts';
import { JSON_TYPE, jsonMessage, message, rawMessage, search, TABLE } from './wire.ts';

/** A header length far over the 4096 the protocol allows. */
const HOSTILE_LENGTH = 0xf000;

export const hostileChecks: readonly ScenarioCheck<ServerSession>[] = [
  {
    id: 'rejects-oversized-header',
    title: `answers a header length of ${HOSTILE_LENGTH} with "header-too-large" at once, and ends that connection`,
    hint: 'Compare the 2-byte length with 4096 as soon as both bytes are in; over it, send the error reply and end the connection without waiting for the header.',
    async run(context, session) {
      const run = served(session);
      const peer = await newConnection(context, run, 'client-7');
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(HOSTILE_LENGTH, 0);
      await peer.send(Buffer.concat([prefix, Buffer.from(`{"byteorder": "big", "padding": "${'x'.repeat(200)}`)]));
      await expectReplies({ server: run.server, peer, wants: [{ error: 'header-too-large' }], what: `a header length of ${HOSTILE_LENGTH} and 236 bytes of it`, deadlineMs: context.ms(3000), thenEnd: true, diagnosis: diagnoses['trusts-header-length'] });
    },
  },
  {
    id: 'rejects-invalid-header',
    title: 'answers a header that is not JSON with "invalid-header", ends that connection, and keeps running',
    hint: 'JSON.parse throws on bad input: parse the header inside try/catch, send the error reply, end that connection.',
    async run(context, session) {
      const run = served(session);
      const peer = await newConnection(context, run, 'client-8');
      await peer.send(rawMessage('{"byteorder": "big", "content-type": '));
      await expectReplies({ server: run.server, peer, wants: [{ error: 'invalid-header' }], what: 'a header cut off in the middle of its JSON', deadlineMs: context.ms(3000), thenEnd: true, crashDiagnosis: diagnoses['crashes-on-invalid-header'] });
    },
  },
  {
    id: 'rejects-bad-field',
    title: 'answers a header lacking "content-type", and one whose content-length is a string, with "bad-field"',
    hint: 'Check every field of the header before using it: three strings and an integer content-length from 0 to 1048576.',
    async run(context, session) {
      const run = served(session);
      const headers = [
        { what: 'a header without "content-type"', header: { byteorder: 'big', 'content-encoding': 'utf-8', 'content-length': 5 }, content: 'hello' },
        { what: 'a header whose "content-length" is the string "5"', header: { byteorder: 'big', 'content-type': JSON_TYPE, 'content-encoding': 'utf-8', 'content-length': '5' }, content: '{"a":' },
      ];
      for (const [index, { what, header, content }] of headers.entries()) {
        const peer = await newConnection(context, run, `client-9-${index + 1}`);
        await peer.send(rawMessage(JSON.stringify(header), content));
        await expectReplies({ server: run.server, peer, wants: [{ error: 'bad-field' }], what, deadlineMs: context.ms(3000), thenEnd: true, diagnosis: diagnoses['accepts-bad-field'] });
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
    id: 'rejects-truncated',
    title: 'answers a client that ends the connection in the middle of its content with "truncated", then ends',
    hint: 'On "end", if bytes of an unfinished message are still buffered, the content-length promised more: send the "truncated" error reply, then end.',
    async run(context, session) {
      const run = served(session);
      const peer = await newConnection(context, run, 'client-12');
      const wire = message(JSON_TYPE, Buffer.from(JSON.stringify({ action: 'search', value: 'x'.repeat(90) })));
      await peer.send(wire.subarray(0, wire.length - 60));
      await sleep(40);
      peer.end();
      await expectReplies({ server: run.server, peer, wants: [{ error: 'truncated' }], what: 'a request whose last 60 bytes never came, then the end', deadlineMs: context.ms(3000), thenEnd: true, diagnosis: diagnoses['silent-on-truncation'] });
    },
  },
  {
    id: 'other-clients-unaffected',
    title: 'answers another client, connected all along, after one client sent a header that is not JSON',
    hint: 'A malformed request concerns its own connection: end that one only, never the listening server or the other sockets.',
    async run(context, session) {
      const run = served(session);
      const [calm, hostile] = [await newConnection(context, run, 'client-13'), await newConnection(context, run, 'client-14')];
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
