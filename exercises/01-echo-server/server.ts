// Lesson 1: the blocking echo server.
// Accept one client, print who connected, echo every byte until the client
// half-closes, then close and exit. Run it: npx tsx exercises/01-echo-server/server.ts
import net from 'node:net';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 65432);

// socket() + bind() + listen(): the listening server.
const server = net.createServer((conn) => {
  // accept() returned `conn`, the socket for this one client.
  // TODO: print `Connected by ADDRESS:PORT` using conn.remoteAddress and conn.remotePort.
  // TODO: accept no further clients (close the listening server).
  // TODO: recv()/sendall(): write every "data" chunk back unchanged.
  // TODO: recv() returned b'': on "end", close your side so queued bytes are still sent.
  // TODO: a reset client emits "error": handle it instead of crashing.
  // TODO: this placeholder drops every client at once: delete it when the TODOs above are done.
  conn.destroy();
});

// TODO: listen on PORT and HOST (both, in that order).
server.listen();
