// Lesson 4's first client scenario: client.ts run without an argument against a faithful echo
// server the grader plays. Only this run exercises the default count.
import { scenario } from '../lesson.ts';
import { expectCleanExit } from '../shared/exit.ts';
import { hostPort } from '../shared/listening.ts';
import { DEFAULT_COUNT, expectDefaultCount, expectOnlyMessages, expectPrinted, FILE, failUnlessExited, threadedServer, timing, watchPeer } from './client-run.ts';

export const clientBasic = scenario('the client against a faithful echo server', () => ({}), [
  {
    id: 'client-basic',
    title: `run without an argument, with a faithful echo server: sends "msg 1" … "msg ${DEFAULT_COUNT}" to HOST:PORT, prints each echo and exits 0`,
    hint: 'Send `msg ${seq}` to PORT and HOST from the environment, print the echo\'s text with console.log(reply.toString()), and close the socket after the last one.',
    async run(context) {
      const n = DEFAULT_COUNT;
      const server = await threadedServer(context, 'echo-server', 'echo');
      const program = context.start(FILE, { port: server.port, args: [] });
      const run = watchPeer(server, program, timing(context, 20_000));
      const ending = await run.ending;
      expectDefaultCount(run.sends, ending, program);
      failUnlessExited(run, ending, program, n, hostPort(context.host, server.port));
      expectOnlyMessages(run.sends, n);
      expectPrinted(program, n);
      if (ending.kind === 'exited') expectCleanExit(program, ending.exit);
    },
  },
]);

