// What the grader's fragmenting proxy adds: the round trip of a short message and the
// throughput of a long one, through each cutting plan, against the same echo reached directly.
// A check's deadline must never be spent in the proxy.
import net from 'node:net';
import { FragmentingProxy, type Profile } from '../net/fragmenting-proxy.ts';
import { freePort } from '../run/ports.ts';
import { median } from './measure.ts';
import { HOST } from './servers.ts';

const PROFILES: readonly Profile[] = ['mixed', 'bulk', 'coalesce', 'bytes'];
const MESSAGE_BYTES = 100;

/** How much each measurement sends; the smoke test passes smaller ones. */
export interface ProxySizes {
  readonly roundTrips: number;
  readonly bulkBytes: number;
  /** 1-3 byte pieces with pauses: the bulk size would take hours, 16 KiB shows the rate. */
  readonly bytesPlanBytes: number;
}

export const PROXY_SIZES: ProxySizes = { roundTrips: 30, bulkBytes: 8 * 2 ** 20, bytesPlanBytes: 16 * 1024 };

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

async function measureThrough(port: number, via: string, roundTrips: number, bulkBytes: number): Promise<ProxyFigure> {
  const socket = await connect(port);
  try {
    const message = Buffer.alloc(MESSAGE_BYTES, 0x61);
    const trips: number[] = [];
    for (let i = 0; i < roundTrips; i++) {
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

export async function measureProxies(sizes: ProxySizes = PROXY_SIZES): Promise<ProxyFigure[]> {
  const echo = net.createServer((socket) => socket.pipe(socket));
  const echoPort = await freePort(HOST);
  await new Promise<void>((resolve) => echo.listen(echoPort, HOST, resolve));
  const figures: ProxyFigure[] = [];
  try {
    figures.push(await measureThrough(echoPort, 'direct', sizes.roundTrips, sizes.bulkBytes));
    for (const profile of PROFILES) {
      const proxy = new FragmentingProxy({ host: HOST, port: await freePort(HOST), targetHost: HOST, targetPort: echoPort, seed: 1, profile });
      await proxy.listen();
      try {
        const bulkBytes = profile === 'bytes' ? sizes.bytesPlanBytes : sizes.bulkBytes;
        figures.push(await measureThrough(proxy.port, `proxy "${profile}"`, sizes.roundTrips, bulkBytes));
      } finally {
        await proxy.close();
      }
    }
  } finally {
    await new Promise((resolve) => echo.close(resolve));
  }
  return figures;
}
