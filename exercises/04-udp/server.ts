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
  // TODO: send msg back, whole and unchanged, to rinfo.port and rinfo.address.
  void msg;
  void rinfo;
});

// TODO: handle the socket's 'error' event, so an error is logged instead of crashing the server.
// Before bind() has succeeded (port taken, address not ours), print one line naming HOST:PORT,
// set process.exitCode = 1 and close the socket; after it, log the error and keep running.

socket.bind(PORT, HOST, () => console.log(`echoing datagrams on ${HOST}:${PORT}`));
