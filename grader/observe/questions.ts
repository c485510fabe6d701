// The five questions of `npm run observe`, each judged by the kernel's socket table at the
// moment of the answer: the states lesson 6 teaches, seen with ss, netstat and lsof.
import type { Side } from './plan.ts';
import { wholeNumber, type Question } from './question.ts';
import { formatRow, pidsHoldingInode, tcpTable, type TcpRow } from './tcp-table.ts';

const at = (host: string, port: number) => `${host}:${port}`;
const isAt = (end: { address: string; port: number }, host: string, port: number) => end.address === host && end.port === port;

/** 1. Which process listens: the PID of whoever holds the LISTEN socket's inode. */
export function listenerPidQuestion(host: string, port: number): Question {
  return {
    id: 'listener-pid',
    prompt: () => [
      `Which PID listens on ${at(host, port)}?`,
      `  Tools: ss -p (Linux), lsof -iTCP:PORT -sTCP:LISTEN, netstat -p (Linux). Filter: ss -ltnp 'src ${host}:${port}'`,
    ],
    command: `ss -Hltnp 'src ${host}:${port}'   or   lsof -nP -iTCP:${port} -sTCP:LISTEN`,
    view: () => {
      const row = tcpTable().find((r) => r.state === 'LISTEN' && isAt(r.local, host, port));
      if (!row) return undefined;
      const pids = pidsHoldingInode(row.inode);
      return {
        shows: [formatRow(row), `socket inode ${row.inode} is held by PID ${pids.join(', ') || '(none)'} (/proc/PID/fd)`],
        accepts: (answer) => pids.includes(wholeNumber(answer) ?? -1),
      };
    },
  };
}

/** 2. The client's end of an established connection: its local port. */
export function clientPortQuestion(host: string, serverPort: number): Question {
  return {
    id: 'client-port',
    prompt: () => [
      `A client is connected to the server on ${at(host, serverPort)}. Which local port is the client's end of that connection?`,
      `  Tools: ss -tn, netstat -tan, lsof -iTCP. Filter: ss -tn state established '( dst ${host}:${serverPort} )'`,
    ],
    command: `ss -Htn state established '( dst ${host}:${serverPort} )'`,
    view: () => {
      const rows = tcpTable().filter((r) => r.state === 'ESTAB' && isAt(r.remote, host, serverPort));
      if (rows.length === 0) return undefined;
      return { shows: rows.map(formatRow), accepts: (answer) => rows.some((r) => r.local.port === wholeNumber(answer)) };
    },
  };
}

/** 3. Who closed first: the side whose socket the kernel keeps in TIME-WAIT. */
export function timeWaitQuestion(host: string, serverPort: number, connect: () => Promise<number>): Question {
  let clientPort = 0;
  const mine = (r: TcpRow) =>
    r.state === 'TIME-WAIT' && r.local.address === host &&
    ((r.local.port === serverPort && r.remote.port === clientPort) || (r.local.port === clientPort && r.remote.port === serverPort));
  return {
    id: 'time-wait',
    prepare: async () => {
      clientPort = await connect();
    },
    prompt: () => [
      `The connection between the server ${at(host, serverPort)} and its client ${at(host, clientPort)} has just been closed.`,
      `Which end is in TIME-WAIT now? Answer with its port, or "client" or "server". (Linux keeps a TIME-WAIT 60 s.)`,
      `  Tools: ss -tan state time-wait, netstat -tan. Filter: ss -tan state time-wait '( src ${host}:${serverPort} or dst ${host}:${serverPort} )'`,
    ],
    command: `ss -Htan state time-wait '( src ${host}:${serverPort} or dst ${host}:${serverPort} )'`,
    view: () => {
      const row = tcpTable().find(mine);
      if (!row) return undefined;
      const side: Side = row.local.port === serverPort ? 'server' : 'client';
      return {
        shows: [formatRow(row), `the ${side}'s end (port ${row.local.port}) closed first`],
        accepts: (answer) => answer.toLowerCase() === side || wholeNumber(answer) === row.local.port,
      };
    },
  };
}

/** 4. A listener whose accept queue is full: Recv-Q of the LISTEN row. */
export function acceptQueueQuestion(host: string, port: number): Question {
  return {
    id: 'accept-queue',
    prompt: () => [
      `The process listening on ${at(host, port)} never calls accept(), and several clients have connected to it.`,
      `What does Recv-Q show for that listening socket?`,
      `  Tools: ss -ltn, netstat -ltn. Filter: ss -ltn 'src ${host}:${port}'`,
    ],
    command: `ss -Hltn 'src ${host}:${port}'`,
    view: () => {
      const rows = tcpTable().filter((r) => isAt(r.local, host, port) || isAt(r.remote, host, port));
      const listener = rows.find((r) => r.state === 'LISTEN' && isAt(r.local, host, port));
      if (!listener) return undefined;
      const waiting = rows.filter((r) => r.state === 'SYN-SENT').length;
      return {
        shows: [formatRow(listener), `${waiting} more client${waiting === 1 ? '' : 's'} in SYN-SENT: the full queue drops their SYNs`],
        accepts: (answer) => wholeNumber(answer) === listener.recvQ,
      };
    },
  };
}

/** How far a Send-Q answer may be from the kernel's: it is "roughly how many bytes". */
export const SEND_Q_TOLERANCE = 0.1;

/** 5. A stalled connection: the writer's Send-Q, within SEND_Q_TOLERANCE. */
export function sendQueueQuestion(host: string, serverPort: number, client: () => number, writerPort: () => number): Question {
  const pair = (r: TcpRow) =>
    r.state === 'ESTAB' && r.local.address === host &&
    ((r.local.port === serverPort && r.remote.port === client()) || (r.local.port === client() && r.remote.port === serverPort));
  return {
    id: 'send-queue',
    prompt: () => [
      `On the connection between the server ${at(host, serverPort)} and its client ${at(host, client())}, one side writes and the other never reads.`,
      `Roughly how many bytes are in the Send-Q of the side that writes? (within ${SEND_Q_TOLERANCE * 100}%)`,
      `  Tools: ss -tn, netstat -tn. Filter: ss -tn '( src ${host}:${serverPort} or dst ${host}:${serverPort} )'`,
    ],
    command: `ss -Htn '( src ${host}:${serverPort} or dst ${host}:${serverPort} )'`,
    view: () => {
      const rows = tcpTable().filter(pair);
      const writer = rows.find((r) => r.local.port === writerPort());
      if (!writer) return undefined;
      return {
        shows: [...rows.map(formatRow), `the writer is the end on port ${writer.local.port}: Send-Q ${writer.sendQ}`],
        accepts: (answer) => {
          const bytes = wholeNumber(answer);
          return bytes !== undefined && writer.sendQ > 0 && Math.abs(bytes - writer.sendQ) <= writer.sendQ * SEND_Q_TOLERANCE;
        },
      };
    },
  };
}
