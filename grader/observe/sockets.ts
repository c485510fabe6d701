// Sets up the sockets of one `npm run observe` run on its seeded loopback HOST: the states
// the questions ask about, in the grader process and in two child processes. Everything it
// makes is registered for cleanUp() the moment it exists, and cleanUp() releases every port.
import net from 'node:net';
import { pollUntil, withDeadline } from '../run/deadline.ts';
import { freePort, releasePorts } from '../run/ports.ts';
import { startBlockedHolder, startPlainListener, type HeldChild } from './holders.ts';
import type { ObservePlan } from './plan.ts';
import type { Question } from './question.ts';
import { acceptQueueQuestion, clientPortQuestion, listenerPidQuestion, sendQueueQuestion, timeWaitQuestion } from './questions.ts';
import { tcpTable } from './tcp-table.ts';

export interface ObservedSockets {
  readonly questions: readonly Question[];
  readonly ports: readonly number[];
  readonly children: readonly HeldChild[];
  /** Stops every child, closes every socket and releases every port; safe to call twice. */
  cleanUp(): Promise<void>;
}

export interface SetupTimes {
  /** How long anything the setup waits for may take (scaled by the caller). */
  readonly readyMs: number;
  /** How long the children may live at most: the whole run's deadline. */
  readonly lifetimeMs: number;
}

class Holdings {
  private readonly undo: Array<() => Promise<void> | void> = [];
  readonly ports: number[] = [];
  readonly children: HeldChild[] = [];

  add(step: () => Promise<void> | void): void {
    this.undo.push(step);
  }

  socket<S extends net.Socket | net.Server>(socket: S): S {
    socket.on('error', () => {}); // a reset or a SYN timeout at teardown is expected
    this.add(() => {
      if (socket instanceof net.Server) socket.close();
      else socket.destroy();
    });
    return socket;
  }

  async port(host: string): Promise<number> {
    const port = await freePort(host);
    this.ports.push(port);
    return port;
  }

  async cleanUp(): Promise<void> {
    const steps = this.undo.splice(0).reverse();
    for (const step of steps) {
      try {
        await step();
      } catch {
        // keep going: every other step must still run
      }
    }
    releasePorts(this.ports);
  }
}

function listen(holdings: Holdings, host: string, port: number, options: net.ServerOpts, onConnection: (socket: net.Socket) => void, ms: number): Promise<net.Server> {
  const server = holdings.socket(net.createServer(options, (socket) => onConnection(holdings.socket(socket))));
  const listening = new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.listen({ host, port, exclusive: true });
  return withDeadline(listening, ms, `the grader's own server to listen on ${host}:${port}`).then(() => server);
}

function connect(holdings: Holdings, host: string, port: number, ms: number): Promise<net.Socket> {
  const socket = holdings.socket(net.connect({ host, port, localAddress: host }));
  const connected = new Promise<net.Socket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
  return withDeadline(connected, ms, `a connection from ${host} to ${host}:${port}`);
}

/** The next connection `server` accepts. */
function nextConnection(server: net.Server, ms: number, what: string): Promise<net.Socket> {
  return withDeadline(new Promise<net.Socket>((resolve) => server.once('connection', resolve)), ms, what);
}

export async function setUpSockets(plan: ObservePlan, times: SetupTimes): Promise<ObservedSockets> {
  const { host } = plan;
  const ms = times.readyMs;
  const holdings = new Holdings();
  try {
    const [listenerPort, pairPort, timeWaitPort, queuePort, stalledPort] = [
      await holdings.port(host), await holdings.port(host), await holdings.port(host), await holdings.port(host), await holdings.port(host),
    ] as [number, number, number, number, number];

    // 1. A listener in a process of its own.
    const listener = await startPlainListener(host, listenerPort, times.lifetimeMs, ms);
    holdings.children.push(listener);
    holdings.add(() => listener.stop());

    // 2. An established pair: the grader's server and its client.
    const pairServer = await listen(holdings, host, pairPort, {}, (socket) => socket.resume(), ms);
    const accepted = nextConnection(pairServer, ms, `the grader's server on ${host}:${pairPort} to accept its client`);
    await connect(holdings, host, pairPort, ms);
    await accepted;

    // 3. The TIME-WAIT is made when its question comes: it lasts only 60 s.
    const timeWaitServer = await listen(holdings, host, timeWaitPort, {}, (socket) => socket.resume(), ms);
    const closeOnce = async (): Promise<number> => {
      const serverEnd = nextConnection(timeWaitServer, ms, `the grader's server on ${host}:${timeWaitPort} to accept its client`);
      const client = await connect(holdings, host, timeWaitPort, ms);
      client.resume();
      const server = await serverEnd;
      (plan.closesFirst === 'client' ? client : server).end(); // the other side ends on its 'end' (allowHalfOpen is off)
      const clientPort = client.localPort!;
      await pollUntil(
        () => tcpTable().some((r) => r.state === 'TIME-WAIT' && r.local.address === host && [timeWaitPort, clientPort].includes(r.local.port) && [timeWaitPort, clientPort].includes(r.remote.port)) || undefined,
        ms,
        `the kernel to show the closed connection ${host}:${clientPort} - ${host}:${timeWaitPort} in TIME-WAIT`,
      );
      return clientPort;
    };

    // 5 (server side). The stalled connection's server never reads what it is sent.
    let stalledClientPort = 0;
    let writerPort = 0;
    const stalledServer = await listen(holdings, host, stalledPort, { pauseOnConnect: true }, () => {}, ms);
    const stalledAccepted = nextConnection(stalledServer, ms, `the grader's server on ${host}:${stalledPort} to accept its client`);

    // 4. A listener that never accepts, in a second process; when the server is the writer,
    // that process is also the client that never reads.
    const holder = await startBlockedHolder(host, queuePort, plan.backlog, plan.writer === 'server' ? stalledPort : undefined, times.lifetimeMs, ms);
    holdings.children.push(holder);
    holdings.add(() => holder.stop());

    if (plan.writer === 'client') {
      const writer = await connect(holdings, host, stalledPort, ms);
      await stalledAccepted;
      stalledClientPort = writerPort = writer.localPort!;
      writer.write(Buffer.alloc(plan.stalledBytes, 0x61));
    } else {
      const serverEnd = await stalledAccepted;
      stalledClientPort = holder.ready.clientPort!;
      writerPort = stalledPort;
      serverEnd.write(Buffer.alloc(plan.stalledBytes, 0x62));
    }

    // Fill the never-accepting listener's queue and more: its kernel queue takes some, the
    // rest stay in SYN-SENT. Ready once the kernel shows every client in one of the two.
    const clients = plan.backlog + 1 + plan.extraClients;
    for (let i = 0; i < clients; i++) holdings.socket(net.connect({ host, port: queuePort, localAddress: host }));
    await pollUntil(
      () => {
        const mine = tcpTable().filter((r) => r.local.address === host && r.local.port !== queuePort && r.remote.port === queuePort && r.remote.address === host);
        return mine.filter((r) => r.state === 'ESTAB' || r.state === 'SYN-SENT').length === clients || undefined;
      },
      ms,
      `the kernel to show ${clients} clients of ${host}:${queuePort} established or in SYN-SENT`,
    );

    // The stalled Send-Q is asked about once it stops moving.
    let last = -1;
    let steady = 0;
    await pollUntil(
      () => {
        const row = tcpTable().find((r) => r.state === 'ESTAB' && r.local.address === host && r.local.port === writerPort && [stalledPort, stalledClientPort].includes(r.remote.port));
        const sendQ = row?.sendQ ?? -1;
        steady = sendQ > 0 && sendQ === last ? steady + 1 : 0;
        last = sendQ;
        return steady >= 3 || undefined;
      },
      ms,
      `the Send-Q of ${host}:${writerPort} to stop growing`,
      { firstDelayMs: 100, maxDelayMs: 100 },
    );

    const questions: Question[] = [
      listenerPidQuestion(host, listenerPort),
      clientPortQuestion(host, pairPort),
      timeWaitQuestion(host, timeWaitPort, closeOnce),
      acceptQueueQuestion(host, queuePort),
      sendQueueQuestion(host, stalledPort, () => stalledClientPort, () => writerPort),
    ];
    return { questions, ports: holdings.ports, children: holdings.children, cleanUp: () => holdings.cleanUp() };
  } catch (error) {
    await holdings.cleanUp();
    throw error;
  }
}
