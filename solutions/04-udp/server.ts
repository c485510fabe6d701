// Lesson 4: the UDP echo server.
// Send every datagram back, unchanged, to the address and port it came from. Run it: npx tsx exercises/04-udp/server.ts
import dgram from 'node:dgram';
import net from 'node:net';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 65432);

// socket(AF_INET, SOCK_DGRAM): no listen(), no accept(), no connection to anyone.
const socket = dgram.createSocket(net.isIPv6(HOST) ? 'udp6' : 'udp4');

// One 'message' event is one whole datagram (recvfrom), with who sent it in rinfo.
socket.on('message', (msg, rinfo) => {
  // Filled in: sendto() the sender of this very datagram; an empty datagram is echoed too.
  socket.send(msg, rinfo.port, rinfo.address);
});

let bound = false;
// Filled in: without a listener, an 'error' event would crash the server.
socket.on('error', (err: NodeJS.ErrnoException) => {
  if (bound) {
    console.error(`socket error: ${err.code ?? err.message}`);
    return;
  }
  // Filled in: a server that cannot bind HOST:PORT serves nobody: say so and fail.
  console.error(`cannot bind ${HOST}:${PORT}: ${err.code ?? err.message}`);
  process.exitCode = 1;
  socket.close();
});

socket.bind(PORT, HOST, () => {
  bound = true;
  console.log(`echoing datagrams on ${HOST}:${PORT}`);
});
