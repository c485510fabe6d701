// Lesson 1's second scenario: a fresh run of the server, whose client resets the connection.
import { sleep } from '../../run/deadline.ts';
import { fail } from '../check.ts';
import { scenario } from '../lesson.ts';
import { crashReport, expectExit } from '../shared/exit.ts';
import { startServerAndConnect } from '../shared/listening.ts';
import { diagnoses } from './diagnoses.ts';
import { FILE } from './one-client.ts';

export const resettingClient = scenario('a client that resets the connection', () => ({}), [
  {
    id: 'survives-reset',
    title: 'a client that resets the connection does not crash it',
    hint: 'Add socket.on("error", (err) => console.error(err.code)). Without an "error" listener, Node turns ECONNRESET into an uncaught exception that kills the process.',
    async run(context) {
      const { program, peer } = await startServerAndConnect(context, FILE, { client: 'client-2' });
      peer.socket.pause();
      await peer.send(context.random('reset').bytes(256 * 1024));
      await sleep(context.ms(100));
      peer.reset();
      const exit = await expectExit(program, context.ms(3000), 'its client reset the connection');
      const crash = crashReport(program.stderr.text);
      if (exit.code !== 0 || crash) {
        fail(`${FILE} crashed when its client reset the connection${crash ? `: ${crash.trim()}` : ''}`, {
          expected: 'the error handled (logged), then exit code 0',
          actual: `exit code ${exit.code ?? exit.signal}${crash ? ', uncaught error on stderr' : ''}`,
          diagnosis: crash && /ECONNRESET|Unhandled 'error' event/.test(program.stderr.text) ? diagnoses['no-error-listener'] : undefined,
        });
      }
    },
  },
]);
