import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// Ports are checked free (below the ephemeral range, else from the kernel) and are never handed out twice in one grader process,
// so parallel checks and a learner's own server on 65432 never collide with grading. Between
// grader processes on one machine (a class run, the test suite's workers) a claim file per
// port keeps one grader from handing out a port another still uses: the kernel may give a
// just-closed port to the next caller, and two runs with one seed share one HOST.
const handedOut = new Set<number>();
const claimsDir = path.join(os.tmpdir(), 'sockets-course-ports');
const claimed = new Set<number>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Claims `port` for this process; false when a live grader holds it. */
function claim(port: number): boolean {
  const file = path.join(claimsDir, String(port));
  try {
    fs.mkdirSync(claimsDir, { recursive: true, mode: 0o1777 });
    fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
    claimed.add(port);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return true; // no shared tmp: the per-process set still holds
    const owner = Number(fs.readFileSync(file, 'utf8').trim() || '0');
    if (owner === process.pid || (owner > 0 && isAlive(owner))) return false;
    fs.rmSync(file, { force: true }); // left by a grader that died
    return claim(port);
  }
}

/** Gives ports back once the run that used them is over and nothing holds them. */
export function releasePorts(ports: readonly number[]): void {
  for (const port of ports) {
    if (!claimed.delete(port)) continue;
    fs.rmSync(path.join(claimsDir, String(port)), { force: true });
  }
}

process.on('exit', () => releasePorts([...claimed]));

/** Binds `port` on `host` (0: one the kernel picks) and closes it again: the port bound, or undefined if it could not be. */
async function bindOnce(host: string, type: 'tcp' | 'udp', port: number): Promise<number | undefined> {
  if (type === 'tcp') {
    return new Promise((resolve) => {
      const server = net.createServer();
      server.unref();
      server.once('error', () => resolve(undefined));
      server.listen({ port, host, exclusive: true }, () => {
        const bound = (server.address() as net.AddressInfo).port;
        server.close(() => resolve(bound));
      });
    });
  }
  const dgram = await import('node:dgram');
  return new Promise((resolve) => {
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', () => resolve(undefined));
    socket.bind(port, host, () => {
      const bound = socket.address().port;
      socket.close(() => resolve(bound));
    });
  });
}

/**
 * Ports come from below the kernel's ephemeral range where they can: a UDP client anywhere on
 * the machine (another grading's, a learner's) binds the wildcard address on an ephemeral port,
 * and on one of a run's ports it takes that port from under the server about to bind it.
 */
const LOWEST_PORT = 20_000;

function ephemeralStart(): number {
  try {
    const first = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(first) && first > LOWEST_PORT + 1000) return Math.min(first, 32_768);
  } catch {
    // not Linux: macOS hands out 49152 and up
  }
  return 32_768;
}

const belowEphemeral = ephemeralStart();

/** A port that nothing listens on right now and that this process has not handed out before. */
export async function freePort(host = '127.0.0.1', type: 'tcp' | 'udp' = 'tcp'): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (belowEphemeral - LOWEST_PORT));
    if (handedOut.has(port) || (await bindOnce(host, type, port)) === undefined || !claim(port)) continue;
    handedOut.add(port);
    return port;
  }
  // A long-lived grader (watch mode) may have handed out most of them: the kernel's then.
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await bindOnce(host, type, 0);
    if (port === undefined) throw new Error(`cannot bind a ${type.toUpperCase()} port on ${host}: is it an address of this machine?`);
    if (!handedOut.has(port) && claim(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('the kernel kept returning ports already handed out');
}
