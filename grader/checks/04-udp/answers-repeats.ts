// The same datagram, from the same sender, sent again after its echo came back: what a client's
// retransmission looks like to the server.
import { escapeBytes } from '../../net/escape.ts';
import { udpAddress } from '../../net/udp-peer.ts';
import { isProbe } from '../../net/udp-ready.ts';
import { describeExit } from '../../run/program.ts';
import { fail } from '../check.ts';
import { need, type ScenarioCheck } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { FILE, type ServerSession } from './server-session.ts';

export const answersRepeats: ScenarioCheck<ServerSession> = {
  id: 'answers-repeats',
  title: 'answers the same datagram from the same sender every time it arrives (a retransmission)',
  hint: 'Echo every datagram that arrives, even one identical to an earlier one: remember nothing between "message" events.',
  async run(context, session) {
    const { server, port, first: peer } = need(session.served, 'the server started by "server-answers"');
    const text = `msg ${context.random('repeat').int(1, 9)}`;
    const from = peer.count;
    const echoes = () => peer.since(from).filter((datagram) => !isProbe(datagram.data) && datagram.data.toString('latin1') === text).length;
    for (const copy of [1, 2, 3]) {
      await peer.send(text, port, context.host);
      await peer.until(() => echoes() >= copy || !server.running, context.ms(2000), `the echo of copy ${copy} of ${text}`).catch(() => undefined);
      if (echoes() >= copy) continue;
      if (!server.running) fail(`${FILE} ${describeExit(server.exit!)} after the same datagram came ${copy === 1 ? 'once' : 'again'}`);
      fail(`copy ${copy} of ${escapeBytes(Buffer.from(text))} from ${udpAddress(peer.address, peer.port)} got no echo, although copy 1 did`, {
        expected: `an echo for each of the 3 identical datagrams`,
        actual: `${echoes()} echo${echoes() === 1 ? '' : 'es'}; none for copy ${copy} within ${context.ms(2000) / 1000} s`,
        diagnosis: diagnoses['ignores-repeats'],
      });
    }
  },
};
