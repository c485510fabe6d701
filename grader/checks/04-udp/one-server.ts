// Lesson 4's server scenario: one run of server.ts and the grader's clients. Each check goes on
// where the one before it stopped: the same server, the same first client, then a second.
import { escapeBytes, firstDifference } from '../../net/escape.ts';
import { describeDatagram, type Datagram } from '../../net/udp-peer.ts';
import { probeUntilEcho } from '../../net/udp-ready.ts';
import { fail } from '../check.ts';
import { need, scenario } from '../lesson.ts';
import { assertBoundExactly, boundSockets } from '../shared/listening.ts';
import { answersRepeats } from './answers-repeats.ts';
import { diagnoses, MAX_IPV4_PAYLOAD } from './diagnoses.ts';
import { emptyAndGarbage } from './empty-and-garbage.ts';
import { separateClients } from './separate-clients.ts';
import { diagnoseDatagram, diagnoseSilent, expectEchoFromServer } from './server-judge.ts';
import { allByteValues, echoes, exitedDuring, FILE, openPeer, type ServerSession } from './server-session.ts';

const SIZES = [1, 1400, MAX_IPV4_PAYLOAD];

export const oneServer = scenario('one run of the echo server, several clients', (): ServerSession => ({}), [
  {
    id: 'server-answers',
    title: 'is bound to HOST:PORT and echoes a datagram to its sender',
    hint: 'const socket = dgram.createSocket(net.isIPv6(HOST) ? "udp6" : "udp4"); socket.bind(PORT, HOST); and in socket.on("message", (msg, rinfo) => ...) send msg to rinfo.port and rinfo.address.',
    async run(context, session) {
      const port = await context.freePort('udp');
      const server = context.start(FILE, { port });
      const first = await openPeer(context, 'client-1');
      let boundSince: number | undefined;
      const giveUp = () => {
        // Once it has been bound for a while without answering, waiting longer will not help.
        if (boundSince === undefined && boundSockets(server, 'udp').length > 0) boundSince = Date.now();
        return boundSince !== undefined && Date.now() - boundSince > context.ms(3000);
      };
      let echo: Datagram;
      try {
        echo = await probeUntilEcho({ peer: first, host: context.host, port, program: server, deadlineMs: context.ms(10_000), giveUp });
      } catch (error) {
        diagnoseSilent(context, server, port, first, error as Error);
      }
      expectEchoFromServer(context, server, port, echo);
      assertBoundExactly(context, server, port, 'udp');
      session.served = { server, port, first };
    },
  },
  {
    id: 'echoes-sizes',
    title: `echoes datagrams of ${SIZES.join(', ')} bytes (all 256 byte values) each as one datagram, whole and unchanged`,
    hint: 'Send back the very Buffer the "message" event gave you, in one socket.send(): a datagram is never split, merged or cut.',
    async run(context, session) {
      const { server, port, first } = need(session.served, 'the server started by "server-answers"');
      const random = context.random('datagram-sizes');
      const from = first.count;
      for (const size of SIZES) {
        const sent = size === 1 ? random.bytes(1) : allByteValues(size, random);
        const before = echoes(first, from).length;
        await first.send(sent, port, context.host);
        const arrived = () => echoes(first, from).length > before;
        await first.until(() => arrived() || !server.running, context.ms(3000), `the echo of a ${size}-byte datagram`).catch(() => undefined);
        if (!arrived()) {
          if (!server.running) exitedDuring(server, `after a ${size}-byte datagram`);
          fail(`no echo came back within ${context.ms(3000) / 1000} s for a ${size}-byte datagram`, {
            expected: `one ${size}-byte datagram back`,
            actual: 'nothing',
            diagnosis: size === MAX_IPV4_PAYLOAD ? diagnoses['drops-largest-datagram'] : undefined,
          });
        }
        if (!echoes(first, from)[before]!.data.equals(sent)) {
          // Give the rest of a split echo time to arrive before naming the mistake.
          await first.within(() => false, context.ms(300));
          const got = echoes(first, from).slice(before);
          const { summary, diagnosis } = diagnoseDatagram(sent, got);
          const shown = Math.max(0, firstDifference(sent, got[0]!.data) - 8);
          const view = (data: Buffer) => `one ${data.length}-byte datagram; from byte ${shown}: ${escapeBytes(data.subarray(shown, shown + 24), 24)}`;
          fail(summary, { expected: view(sent), actual: `${got.length > 1 ? `${got.length} datagrams, the first ` : ''}${view(got[0]!.data)}`, diagnosis });
        }
      }
      // An echo sent twice (or in more pieces after a whole one) shows up here.
      await first.within(() => false, context.ms(200));
      const extra = echoes(first, from).slice(SIZES.length);
      if (extra.length > 0) {
        fail(`${SIZES.length + extra.length} datagrams came back for ${SIZES.length} sent`, {
          expected: `${SIZES.length} datagrams, one per datagram sent`,
          actual: `also ${extra.map((datagram) => describeDatagram(datagram.data)).join(', ')}`,
        });
      }
    },
  },
  answersRepeats,
  separateClients,
  emptyAndGarbage,
]);
