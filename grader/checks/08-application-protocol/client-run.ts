// Lesson 8's client scenarios: runs of client.ts against the server the grader plays. A search
// whose reply comes cut at every boundary; binary content with every byte value from stdin; an
// error reply; a reply cut short.
import { escapeBytes, escapeText } from '../../net/escape.ts';
import { sleep } from '../../run/deadline.ts';
import { fail, type CheckContext } from '../check.ts';
import { need, scenario } from '../lesson.ts';
import { expectExit } from '../shared/exit.ts';
import { CLIENT, reply as answer, startClient, type ClientRun } from './client-server.ts';
import { diagnoses } from './diagnoses.ts';
import { BINARY_TYPE, countedCharacters, describeMessage, JSON_TYPE, jsonContent, jsonMessage, message } from './wire.ts';

const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

function requestFailure(run: ClientRun, expected: string): never {
  fail(run.request ? `${CLIENT}'s request is not the one its arguments ask for` : `${CLIENT} sent no whole request`, {
    expected,
    actual: run.request ? describeMessage(run.request) : run.problem ? run.problem.what : `${run.sent.length} bytes: ${escapeBytes(run.sent, 40)}`,
    diagnosis: run.request && countedCharacters(run.sent, run.request) ? diagnoses['client-length-in-characters'] : undefined,
  });
}

/** The client's exit, which must come by itself within 5 s of `after`. */
function exitOf(context: CheckContext, run: ClientRun, after: string) {
  return expectExit(run.client, context.ms(5000), after);
}

interface SearchSession {
  run?: ClientRun;
  value?: string;
}

export const clientSearch = scenario('one run of client.ts search VALUE, its reply cut at every boundary', (): SearchSession => ({}), [
  {
    id: 'client-sends-search',
    title: 'client: sends search VALUE (multibyte UTF-8) as one text/json request, lengths in bytes',
    hint: 'Encode {"action": "search", "value": VALUE} with JSON.stringify, then Buffer.from(); its .length is the content-length. The header is JSON too: a 2-byte big-endian length of its bytes, then its bytes.',
    async run(context, session) {
      const value = `grüße ${context.random('client search').word(3, 8)} 🐶`;
      const run = await startClient(context, { args: ['search', value] });
      session.run = run;
      session.value = value;
      const expected = `text/json {"action":"search","value":${JSON.stringify(value)}}`;
      if (!run.request || run.request.header['content-type'] !== JSON_TYPE) requestFailure(run, expected);
      const body = jsonContent(run.request);
      if (!body || body.action !== 'search' || body.value !== value) requestFailure(run, expected);
    },
  },
  {
    id: 'client-prints-result',
    title: 'client: prints the result once its reply is whole, though it comes cut inside the length, the header and a character',
    hint: 'Keep what the socket delivers until 2 + header length + content-length bytes are in; only then decode the content, once, and print its "result".',
    async run(context, session) {
      const run = need(session.run, 'the client started by "client-sends-search"');
      const result = `Gefunden: ${need(session.value, 'the value searched')} → ☕ ${context.random('result').word(4, 8)}`;
      const reply = jsonMessage({ result });
      const headerLength = reply.readUInt16BE(0);
      const contentStart = 2 + headerLength;
      // Inside the 2-byte length, inside the header, then inside the "→" of the content.
      const insideArrow = contentStart + Buffer.from(reply.subarray(contentStart)).indexOf(Buffer.from('→')) + 1;
      const cuts = [1, 2 + Math.floor(headerLength / 2), insideArrow];
      let from = 0;
      let early = false;
      for (const cut of [...cuts, reply.length]) {
        if (cut === reply.length) {
          await answer(context, run, reply.subarray(from));
          break;
        }
        await run.peer.send(reply.subarray(from, cut));
        from = cut;
        await sleep(context.ms(150));
        // Output, an exit or the end of its side before the reply is whole: it acted on a part.
        early ||= run.client.stdout.bytes.length > 0 || run.client.stderr.bytes.length > 0 || !run.client.running || run.peer.gotEnd;
      }
      const exit = await exitOf(context, run, 'its whole reply arrived');
      const printed = run.client.stdout.text;
      if (printed === `${result}\n` && exit.code === 0) return;
      fail(printed === `${result}\n` ? `${CLIENT} printed the result but exited with code ${exit.code}` : `${CLIENT} did not print the result of its reply`, {
        expected: `stdout ${escapeText(`${result}\n`, 120)}, exit code 0`,
        actual: `stdout ${escapeText(printed, 120)}, exit code ${exit.code}${early ? ' (output or exit before the reply was whole)' : ''}`,
        diagnosis: early ? diagnoses['prints-before-whole-content'] : undefined,
      });
    },
  },
]);

export const clientBinary = scenario('one run of client.ts binary, stdin holding every byte value', () => ({}), [
  {
    id: 'client-binary',
    title: 'client: sends stdin as binary content and writes the binary reply to stdout byte for byte',
    hint: 'Read stdin whole as Buffers (no setEncoding), send it with content-type binary/custom-client-binary-type, and write the reply\'s content with process.stdout.write(buffer).',
    async run(context) {
      const random = context.random('client binary');
      const content = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 7 + random.int(0, 255)) & 0xff)), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
      const run = await startClient(context, { args: ['binary'], stdin: content });
      const decoded = (bytes: Buffer) => bytes.includes(REPLACEMENT) ? diagnoses['client-decodes-binary-as-text'] : undefined;
      if (!run.request || run.request.header['content-type'] !== BINARY_TYPE || !run.request.content.equals(content)) {
        fail(`${CLIENT} did not send stdin as one binary request`, {
          expected: `${BINARY_TYPE}, ${content.length} bytes: ${escapeBytes(content, 24)}`,
          actual: run.request ? describeMessage(run.request) : run.problem?.what ?? `${run.sent.length} bytes`,
          diagnosis: run.request ? decoded(run.request.content) : undefined,
        });
      }
      const reply = Buffer.from(content).reverse();
      await answer(context, run, message(BINARY_TYPE, reply));
      const exit = await exitOf(context, run, 'its binary reply arrived');
      const printed = run.client.stdout.bytes;
      if (printed.equals(reply) && exit.code === 0) return;
      fail(`${CLIENT} did not write the binary reply to stdout unchanged`, {
        expected: `stdout ${reply.length} bytes: ${escapeBytes(reply, 24)}, exit code 0`,
        actual: `stdout ${printed.length} bytes: ${escapeBytes(printed, 24)}, exit code ${exit.code}`,
        diagnosis: decoded(printed) ?? (printed.length !== reply.length ? diagnoses['client-decodes-binary-as-text'] : undefined),
      });
    },
  },
]);

export const clientError = scenario('one run of client.ts answered with an error reply', () => ({}), [
  {
    id: 'client-error-reply',
    title: 'client: on an error reply, prints its kind to stderr, nothing to stdout, and exits 1',
    hint: 'A text/json reply with "error" is a failure: console.error the kind and set process.exitCode = 1.',
    async run(context) {
      const run = await startClient(context, { args: ['search', 'ring'] });
      const kind = context.random('error kind').pick(['unknown-action', 'invalid-content', 'header-too-large']);
      await answer(context, run, jsonMessage({ error: kind, message: 'the grader says no' }));
      const exit = await exitOf(context, run, 'its error reply arrived');
      const stdout = run.client.stdout.text;
      if (exit.code === 1 && stdout === '' && run.client.stderr.text.includes(kind)) return;
      fail(`${CLIENT} did not report the error reply {"error": "${kind}"}`, {
        expected: `a line naming ${kind} on stderr, nothing on stdout, exit code 1`,
        actual: `exit code ${exit.code}, stdout ${escapeText(stdout, 80)}, stderr ${escapeText(run.client.stderr.text, 120)}`,
        diagnosis: exit.code === 0 ? diagnoses['exits-zero-on-error-reply'] : undefined,
      });
    },
  },
]);

export const clientCutShort = scenario('one run of client.ts whose reply is cut short by the end of the connection', () => ({}), [
  {
    id: 'client-broken-stream',
    title: 'client: when the server ends in the middle of the reply, prints nothing to stdout and exits non-zero',
    hint: 'On "end" without a whole reply, print an error line on stderr and set process.exitCode = 1; never print a part of a reply.',
    async run(context) {
      const run = await startClient(context, { args: ['search', 'morpheus'] });
      const reply = jsonMessage({ result: 'Follow the white rabbit. 🐰 And then some more text.' });
      await run.peer.send(reply.subarray(0, reply.length - 20));
      await sleep(40);
      run.peer.end();
      const exit = await exitOf(context, run, 'the server ended the connection');
      const stdout = run.client.stdout.text;
      if (exit.code !== 0 && stdout === '') return;
      fail(`${CLIENT} did not report a reply cut short (${reply.length - 20} of ${reply.length} bytes, then the end)`, {
        expected: 'an error line on stderr, nothing on stdout, a non-zero exit code',
        actual: `exit code ${exit.code}, stdout ${escapeText(stdout, 80)}`,
        diagnosis: diagnoses['exits-zero-when-cut-short'],
      });
    },
  },
]);
