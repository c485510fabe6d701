// Clients of a run of the server that leave badly: in the middle of a line, by a reset while
// idle, by a reset with replies queued. The others, and new ones, must not notice.
import { ProgramExitedError } from '../../net/connect.ts';
import { sleep } from '../../run/deadline.ts';
import type { RunningProgram } from '../../run/program.ts';
import { fail, type Diagnosis } from '../check.ts';
import type { ScenarioCheck } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { failIfExited, untilExitOr } from './exited.ts';
import { awaitLines, numbered, showLines, type Replies } from './lines.ts';
import { FLOOD_LINE_BYTES, floodLine } from './flood.ts';
import { connectTo, seededLines, serverOf, type OneServer } from './session.ts';

/** How a client's error ended the whole server: Node's uncaught "error" event, or the server's own exit. */
function diagnoseCrash(server: RunningProgram): Diagnosis {
  return /Unhandled 'error' event/.test(server.stderr.text) ? diagnoses['no-error-listener'] : diagnoses['exits-on-client-error'];
}

export const survivesDisconnects: ScenarioCheck<OneServer> = {
  id: 'survives-disconnects',
  title: 'clients that vanish mid-line or reset do not disturb the others',
  hint: 'Add socket.on("error", ...) that logs and returns: ECONNRESET and EPIPE concern that one client. Never exit or throw because of one connection.',
  async run(context, session) {
    const served = await serverOf(context, session);
    const { server } = served;
    // A server that dies of a reset may do so late under load: every observation
    // below that could be its death waits for the exit before it is judged.
    const failIfCrashed = () => failIfExited(server, 'after clients disconnected mid-line and reset', diagnoseCrash(server));
    try {
      const [a1, a2, a3] = seededLines(context, 'survivor', 'keep', 3) as [string, string, string];
      const keeper = await connectTo(context, served, 'keeper');
      await keeper.send(`${a1}\n${a2}\n${a3.slice(0, 3)}`);
      await awaitLines(keeper, 2, context.ms(3000), 'two answers on keeper');

      // Leaves in the middle of a line: FIN after half a line.
      const quitter = await connectTo(context, served, 'quitter');
      await quitter.send(`half a li`);
      context.transcript.note(quitter.name, 'closed the connection (FIN) in the middle of a line');
      quitter.destroy();
      // Resets while idle: the server's next read fails with ECONNRESET.
      const idle = await connectTo(context, served, 'idle-reset');
      await idle.send('x\n');
      await awaitLines(idle, 1, context.ms(3000), 'an answer on idle-reset');
      idle.reset();
      // Resets with replies still queued for it: the server's writes fail.
      const busy = await connectTo(context, served, 'busy-reset');
      busy.socket.pause();
      const filler = Buffer.from(context.random('flood').word(FLOOD_LINE_BYTES, FLOOD_LINE_BYTES), 'latin1');
      const busyLines = Array.from({ length: 64 }, (_, i) => floodLine(i + 1, filler));
      // Not awaited: with small socket buffers these writes may never all be taken.
      for (const line of busyLines) void busy.send(line);
      await sleep(context.ms(300));
      busy.reset();
      await sleep(context.ms(500));

      failIfCrashed();

      const hello = `after-${context.random('newcomer').word(3, 8)}`;
      const expected = numbered([a1, a2, a3]);
      let kept: Replies = { lines: [], rest: '', count: 0 };
      let fresh: Replies = { lines: [], rest: '', count: 0 };
      try {
        await keeper.send(`${a3.slice(3)}\n`);
        kept = await awaitLines(keeper, 3, context.ms(5000), 'the third answer on keeper');
        const newcomer = await connectTo(context, served, 'newcomer');
        await newcomer.send(`${hello}\n`);
        fresh = await awaitLines(newcomer, 1, context.ms(5000), 'an answer on newcomer');
        newcomer.end();
      } catch (error) {
        if (!(error instanceof ProgramExitedError)) throw error;
      }
      if (kept.lines.join('\n') !== expected.join('\n') || fresh.lines[0] !== `1 ${hello}`) await untilExitOr(server, context.ms(3000));
      failIfCrashed();
      if (kept.lines.join('\n') !== expected.join('\n')) {
        fail("a client that stayed lost its state when others disconnected: keep all state per connection, and clean up only the socket that closed", {
          expected: `keeper: ${showLines(expected)}`,
          actual: `keeper: ${showLines(kept.lines, kept.rest)}`,
        });
      }
      if (fresh.lines[0] !== `1 ${hello}`) {
        fail('a new client was not answered after others disconnected', {
          expected: `newcomer: ${showLines([`1 ${hello}`])}`,
          actual: `newcomer: ${showLines(fresh.lines, fresh.rest)}`,
        });
      }
      keeper.end();
    } catch (error) {
      // A connect to a server that died of a reset meanwhile.
      if (!(error instanceof ProgramExitedError)) throw error;
      failIfCrashed();
      throw error;
    }
  },
};
