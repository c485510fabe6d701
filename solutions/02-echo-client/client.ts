// Lesson 2: the echo client.
// Send the message, half-close, read until the server closes, print
// "Received: MESSAGE" once. Run it: npx tsx exercises/02-echo-client/client.ts "Hello, world"
import net from 'node:net';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 65432);
const message = process.argv[2] ?? 'Hello, world';

// socket() + connect(): the connection starts now; "connect" fires once it is up.
const socket = net.connect(PORT, HOST);
const chunks: Buffer[] = [];

socket.on('connect', () => {
  // Filled in: write the message, then FIN: sendall() followed by shutdown(SHUT_WR).
  socket.end(message);
});

socket.on('data', (chunk: Buffer) => {
  // Filled in: keep every piece; printing here would print half an echo.
  chunks.push(chunk);
});

socket.on('end', () => {
  // Filled in: the server closed its side, so the echo is complete.
  console.log(`Received: ${Buffer.concat(chunks).toString('utf8')}`);
});

// Filled in: the error's code, not its stack: ECONNREFUSED when nothing listens.
socket.on('error', (err: NodeJS.ErrnoException) => {
  console.error(`cannot connect to ${HOST}:${PORT}: ${err.code ?? err.message}`);
  process.exitCode = 1;
});
