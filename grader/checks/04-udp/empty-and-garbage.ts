// An empty datagram and one of random bytes, each followed by a marker: the server must echo
// both and still be there for the marker.
import { escapeBytes } from '../../net/escape.ts';
import { describeDatagram } from '../../net/udp-peer.ts';
import { fail, type Diagnosis } from '../check.ts';
import { need, type ScenarioCheck } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { exitedDuring, FILE, type ServerSession } from './server-session.ts';

interface Step {
  readonly payload: Buffer;
  readonly what: string;
  /** The mistake when the server stops answering after it. */
  readonly stopped?: Diagnosis;
  /** The mistake when it answers the marker but not this datagram. */
  readonly unanswered?: Diagnosis;
}

export const emptyAndGarbage: ScenarioCheck<ServerSession> = {
  id: 'survives-empty-and-garbage',
  title: 'echoes an empty datagram and random bytes, and keeps answering after them',
  hint: 'An empty datagram is a datagram of length 0, not the end of anything: UDP has no connection to close. Echo it like any other.',
  async run(context, session) {
    const { server, port } = need(session.served, 'the server started by "server-answers"');
    const second = need(session.second, 'the second client of "separate-clients"');
    const steps: Step[] = [
      { payload: Buffer.alloc(0), what: 'an empty datagram', stopped: diagnoses['closes-on-empty'], unanswered: diagnoses['ignores-empty'] },
      { payload: context.random('garbage').bytes(context.random('garbage-size').int(2, 1024)), what: 'a datagram of random bytes' },
    ];
    for (const { payload, what, stopped, unanswered } of steps) {
      const marker = Buffer.from(`still there after ${what}?`);
      const from = second.count;
      const got = () => second.since(from).map((datagram) => datagram.data);
      const markerBack = () => got().some((data) => data.equals(marker));
      const payloadBack = () => got().some((data) => data.equals(payload));
      await second.send(payload, port, context.host);
      await second.send(marker, port, context.host);
      await second
        .until(() => (markerBack() && payloadBack()) || !server.running, context.ms(4000), `the echoes of ${what} and of the datagram after it`)
        .catch(() => undefined);
      // UDP does not promise order: give the first echo a moment if only the second is back.
      if (markerBack() && !payloadBack()) await second.within(payloadBack, context.ms(300));
      if (!server.running) exitedDuring(server, `after receiving ${what}`, stopped);
      if (!markerBack()) {
        fail(`${FILE} stopped answering after ${what}: the next datagram got no echo within ${context.ms(4000) / 1000} s`, {
          expected: `the echo of ${escapeBytes(marker)}`,
          actual: payloadBack() ? `only the echo of ${what}` : 'no echo at all',
          diagnosis: stopped,
        });
      }
      if (!payloadBack()) {
        const wrong = got().find((data) => !data.equals(marker));
        fail(`${FILE} answered the next datagram but not ${what}`, {
          expected: `one ${describeDatagram(payload)}`,
          actual: wrong ? describeDatagram(wrong) : 'nothing',
          diagnosis: unanswered,
        });
      }
    }
  },
};
