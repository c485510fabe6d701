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
  // TODO: send the message and half-close (end) so the server knows you are done.
});

socket.on('data', (chunk: Buffer) => {
  // TODO: one "data" event is one recv(): keep every chunk, the echo comes in pieces.
  void chunk;
});

socket.on('end', () => {
  // TODO: the server closed: print `Received: ${the whole echo}` once.
  void chunks;
});

// TODO: connect_ex-style: on "error", print one line naming err.code and HOST:PORT
// to stderr and set process.exitCode = 1 (no stack trace).
void message;
