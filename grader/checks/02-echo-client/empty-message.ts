// Lesson 2: an explicit empty message "": no bytes, a FIN, and "Received: " for the empty echo.
import { fail } from '../check.ts';
import { scenario } from '../lesson.ts';
import { expectCleanExit, expectExit } from '../shared/exit.ts';
import { DEFAULT_MESSAGE, FILE, quickPlan, settle, startClient } from './client-run.ts';
import { diagnoses } from './diagnoses.ts';
import { showBytes, showText } from './message.ts';

export const emptyMessage = scenario('the empty message', () => ({}), [
  {
    id: 'sends-empty-message',
    title: 'an explicit empty message "" is sent as no bytes and a FIN, and "Received: " is printed',
    hint: 'An explicit "" is an empty message, not a missing one: process.argv[2] ?? "Hello, world" keeps it, and socket.end(message) then sends no bytes, only FIN.',
    async run(context) {
      const empty = await startClient(
        context,
        '',
        quickPlan(context, 'empty-pauses', (bytes) => bytes),
        diagnoses['empty-not-sent'],
      );
      const expected = 'Received: \n';
      await settle(context, empty, expected);
      const got = empty.peer.data();
      if (got.length > 0) {
        fail(`${FILE} was given an empty message ("") and sent ${showBytes(got)}`, {
          expected: 'no bytes, then FIN',
          actual: showBytes(got),
          diagnosis: got.equals(Buffer.from(DEFAULT_MESSAGE)) ? diagnoses['empty-becomes-default'] : undefined,
        });
      }
      if (!empty.peer.gotEnd) {
        fail(`${FILE} sent nothing for the empty message, but never half-closed`, {
          expected: 'FIN at once: there is nothing to send',
          actual: `no FIN${empty.client.running ? ', still running' : ''}`,
          diagnosis: diagnoses['empty-never-half-closes'],
        });
      }
      const printed = empty.client.stdout.text;
      if (printed !== expected) {
        fail(`${FILE} printed ${printed ? showText(printed) : 'nothing'} after the empty echo`, {
          expected: showText(expected),
          actual: printed ? showText(printed) : '(nothing on stdout)',
          diagnosis: printed === '' ? diagnoses['empty-echo-not-printed'] : undefined,
        });
      }
      const exit = await expectExit(empty.client, context.ms(3000), 'the server closed the connection');
      expectCleanExit(empty.client, exit);
    },
  },
]);
