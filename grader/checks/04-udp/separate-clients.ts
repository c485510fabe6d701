// Two more clients, on different ports and addresses, interleaved and back to back: a server
// that keeps "the client" in a variable mixes them up.
import { escapeBytes } from '../../net/escape.ts';
import { udpAddress } from '../../net/udp-peer.ts';
import { fail } from '../check.ts';
import { need, type ScenarioCheck } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { diagnoseMissing } from './server-judge.ts';
import { exitedDuring, openPeer, otherLoopback, type ServerSession } from './server-session.ts';

export const separateClients: ScenarioCheck<ServerSession> = {
  id: 'separate-clients',
  title: 'two clients on different ports (and addresses) each get only their own echoes',
  hint: 'Reply to the rinfo that came with this datagram. Nothing about a sender should be remembered between "message" events.',
  async run(context, session) {
    const { server, port, first } = need(session.served, 'the server started by "server-answers"');
    const random = context.random('two-clients');
    const second = await openPeer(context, 'client-2');
    session.second = second;
    const third = await openPeer(context, 'client-3', otherLoopback(context.host));
    const peers = [second, third];
    const starts = peers.map((peer) => peer.count);
    const firstFrom = first.count;
    const sent: string[][] = [[], []];
    for (let i = 1; i <= 10; i++) {
      await Promise.all(peers.map((peer, n) => {
        const text = `${peer.name} datagram ${i} ${random.word(4, 12)}`;
        sent[n]!.push(text);
        return peer.send(text, port, context.host);
      }));
    }
    const got = (n: number) => peers[n]!.since(starts[n]!).map((datagram) => datagram.data.toString('latin1'));
    const done = () => got(0).length >= 10 && got(1).length >= 10;
    await Promise.race([
      second.until(done, context.ms(3000), '').catch(() => undefined),
      third.until(done, context.ms(3000), '').catch(() => undefined),
    ]);
    await second.within(() => false, context.ms(100));
    if (!server.running) exitedDuring(server, 'while two clients sent datagrams');
    const atFirst = first.since(firstFrom).map((datagram) => datagram.data.toString('latin1'));
    for (const n of [0, 1]) {
      const mine = sent[n]!;
      const other = sent[1 - n]!;
      const wrong = got(n).filter((text) => !mine.includes(text));
      const name = peers[n]!.name;
      const otherName = peers[1 - n]!.name;
      if (atFirst.some((text) => mine.includes(text))) {
        fail(`the echoes of ${name}'s datagrams went to client-1, the first client that ever sent one`, {
          expected: `${name}'s echoes at ${name} (${udpAddress(peers[n]!.address, peers[n]!.port)})`,
          actual: `at client-1 (${udpAddress(first.address, first.port)})`,
          diagnosis: diagnoses['replies-to-first-sender'],
        });
      }
      if (wrong.some((text) => other.includes(text))) {
        fail(`${otherName}'s datagram ${escapeBytes(Buffer.from(wrong.find((text) => other.includes(text))!))} was echoed to ${name}`, {
          expected: `each client gets only its own echoes`,
          actual: `${wrong.filter((text) => other.includes(text)).length} of ${otherName}'s echoes arrived at ${name}`,
          diagnosis: diagnoses['replies-to-last-sender'],
        });
      }
    }
    for (const n of [0, 1]) {
      const missing = sent[n]!.filter((text) => !got(n).includes(text));
      if (missing.length === 0) continue;
      const peer = peers[n]!;
      fail(`${missing.length} of ${peer.name}'s 10 datagrams got no echo (${peer.name} sends from ${udpAddress(peer.address, peer.port)})`, {
        expected: `10 echoes at ${udpAddress(peer.address, peer.port)}`,
        actual: `${10 - missing.length}; none for ${escapeBytes(Buffer.from(missing[0]!))}`,
        diagnosis: diagnoseMissing(server),
      });
    }
  },
};
