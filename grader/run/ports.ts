import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// Ports come from the kernel (port 0) and are never handed out twice in one grader process,
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

function portFromKernel(host: string, type: 'tcp' | 'udp'): Promise<number> {
  if (type === 'udp') return udpPortFromKernel(host);
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function udpPortFromKernel(host: string): Promise<number> {
  const dgram = await import('node:dgram');
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', reject);
    socket.bind(0, host, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** A port that nothing listens on right now and that this process has not handed out before. */
export async function freePort(host = '127.0.0.1', type: 'tcp' | 'udp' = 'tcp'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await portFromKernel(host, type);
    if (!handedOut.has(port) && claim(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('the kernel kept returning ports already handed out');
}
