import net from 'node:net';

// Ports come from the kernel (port 0) and are never handed out twice in one run,
// so parallel checks and a learner's own server on 65432 never collide with grading.
const handedOut = new Set<number>();

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
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('the kernel kept returning ports already handed out');
}
