// Lesson 2: a server that answers with other bytes than the message, so that a client printing
// its own argument is told apart from one printing what came back.
import { fail } from '../check.ts';
import { scenario } from '../lesson.ts';
import { failNeverHalfClosed, FILE, quickPlan, settle, startClient } from './client-run.ts';
import { diagnosePrint } from './diagnose-print.ts';
import { diagnoses } from './diagnoses.ts';
import { nonAsciiMessage, showText, swapAsciiCase } from './message.ts';

export const otherAnswer = scenario('an answer that is not the message', () => ({}), [
  {
    id: 'prints-what-came-back',
    title: 'prints what the server sent back, even when it is not the message',
    hint: 'Print the bytes that came back, decoded once on "end": `Received: ${Buffer.concat(chunks).toString("utf8")}`, not the message you sent.',
    async run(context) {
      const other = nonAsciiMessage(context.random('other-message'));
      const answer = swapAsciiCase(Buffer.from(other));
      const otherRun = await startClient(context, other, quickPlan(context, 'other-pauses', swapAsciiCase));
      const expected = `Received: ${answer.toString('utf8')}\n`;
      await settle(context, otherRun, expected);
      const printed = otherRun.client.stdout.text;
      if (printed === expected) return;
      failNeverHalfClosed(otherRun, expected);
      fail(`this server answered ${showText(answer.toString('utf8'))}, and ${FILE} printed ${printed ? showText(printed) : 'nothing'}`, {
        expected: showText(expected),
        actual: printed ? showText(printed) : '(nothing on stdout)',
        diagnosis:
          printed === `Received: ${other}\n`
            ? diagnoses['prints-own-message']
            : diagnosePrint({ printed, message: other, answer, progress: otherRun.played.progress, output: otherRun.output, reactionMs: context.ms(250) }),
      });
    },
  },
]);
