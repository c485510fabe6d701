// Lesson 1: the blocking echo server.
// Accept one client, print who connected, echo every byte until the client
// half-closes, then close and exit. Run it: npx tsx exercises/01-echo-server/server.ts
import net from 'node:net';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 65432);

// socket() + bind() + listen(): the listening server.
const server = net.createServer((conn) => {
  // accept() returned `conn`, the socket for this one client.
  // Filled in: the peer's address, as the guide's print(f"Connected by {addr}").
  console.log(`Connected by ${conn.remoteAddress}:${conn.remotePort}`);
  // Filled in: one client only; the process exits once this connection is over.
  server.close();
  // Filled in: each "data" chunk is one recv(); write() queues it all, like sendall().
  // When the queue is full (a client that does not read), stop reading until it drains.
  conn.on('data', (chunk) => {
    if (!conn.write(chunk) && !conn.isPaused()) {
      conn.pause();
      conn.once('drain', () => conn.resume());
    }
  });
  // Filled in: "end" is recv() returning b''. end() flushes the queue, then sends FIN.
  conn.on('end', () => conn.end());
  // Filled in: without a listener, ECONNRESET would be an uncaught exception.
  conn.on('error', (err: NodeJS.ErrnoException) => console.error(`connection error: ${err.code ?? err.message}`));
});

// Filled in: bind to exactly HOST:PORT.
server.listen(PORT, HOST);
