// What the grader's fragmenting proxy adds: the round trip of a short message and the
// throughput of a long one, through each cutting plan, against the same echo reached directly.
// A check's deadline must never be spent in the proxy.
import net from 'node:net';
import { FragmentingProxy, type Profile } from '../net/fragmenting-proxy.ts';
import { freePort } from '../run/ports.ts';
import { median } from './measure.ts';
import { HOST } from './servers.ts';

const PROFILES: readonly Profile[] = ['mixed', 'bulk', 'coalesce', 'bytes'];
const ROUND_TRIPS = 30;
const MESSAGE_BYTES = 100;
const BULK_BYTES = 8 * 2 ** 20;

export interface ProxyFigure {
  /** "direct" for the echo itself. */
  readonly via: string;
  /** Median round trip of a MESSAGE_BYTES message; "bytes" cuts it into 1-3 byte pieces with pauses, on purpose. */
  readonly roundTripMs: number;
  /** To a tenth: the "bytes" plan's rate falls under 1 KiB/s on a loaded machine. */
  readonly throughputKiBs: number;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, HOST, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `bytes` and resolves once as many came back. */
function echoOf(socket: net.Socket, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    let got = 0;
    const onData = (chunk: Buffer) => {
      got += chunk.length;
      if (got >= bytes.length) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
    socket.write(bytes);
  });
}

async function measureThrough(port: number, via: string, bulkBytes: number): Promise<ProxyFigure> {
  const socket = await connect(port);
  try {
    const message = Buffer.alloc(MESSAGE_BYTES, 0x61);
    const trips: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const started = performance.now();
      await echoOf(socket, message);
      trips.push(performance.now() - started);
    }
    const started = performance.now();
    await echoOf(socket, Buffer.alloc(bulkBytes, 0x62));
    const seconds = (performance.now() - started) / 1000;
    return { via, roundTripMs: Math.round(median(trips) * 100) / 100, throughputKiBs: Math.round((bulkBytes / 1024 / seconds) * 10) / 10 };
  } finally {
    socket.destroy();
  }
}

export async function measureProxies(): Promise<ProxyFigure[]> {
  const echo = net.createServer((socket) => socket.pipe(socket));
  const echoPort = await freePort(HOST);
  await new Promise<void>((resolve) => echo.listen(echoPort, HOST, resolve));
  const figures: ProxyFigure[] = [];
  try {
    figures.push(await measureThrough(echoPort, 'direct', BULK_BYTES));
    for (const profile of PROFILES) {
      const proxy = new FragmentingProxy({ host: HOST, port: await freePort(HOST), targetHost: HOST, targetPort: echoPort, seed: 1, profile });
      await proxy.listen();
      try {
        // 1-3 byte pieces with pauses: 8 MiB would take hours, 16 KiB shows the rate.
        figures.push(await measureThrough(proxy.port, `proxy "${profile}"`, profile === 'bytes' ? 16 * 1024 : BULK_BYTES));
      } finally {
        await proxy.close();
      }
    }
  } finally {
    await new Promise((resolve) => echo.close(resolve));
  }
  return figures;
}
