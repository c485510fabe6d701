// Lesson 3: the framing client.
// Send each line of stdin as one frame and print each reply frame as one line, in order.
// Run it: printf "hello\nworld\n" | npx tsx exercises/03-framing/client.ts
import net from 'node:net';
import readline from 'node:readline';
import { encodeFrame, FrameDecoder } from './framing.ts';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 65432);

const socket = net.connect(PORT, HOST);
const decoder = new FrameDecoder();
let sent = 0;
let received = 0;

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  // TODO: send the line's UTF-8 bytes as one frame (without the newline), and count it.
  void line;
  void encodeFrame;
});
lines.on('close', () => {
  // TODO: stdin is done: once every reply is printed, end the connection.
});

socket.on('data', (chunk: Buffer) => {
  // TODO: print each whole reply frame as one line; a chunk may hold part of one, or several.
  // TODO: if the decoder refuses a reply's length (above MAX_FRAME_BYTES), say so on stderr
  // and exit non-zero at once: do not wait for that payload, nor for the rest of stdin.
  void chunk;
  void decoder;
  void received;
  void sent;
});

socket.on('end', () => {
  // TODO: the server ended the connection. If a line has no reply yet, or the decoder still
  // holds part of a frame, the conversation was cut short: say so on stderr and exit non-zero.
});

socket.on('error', (err: NodeJS.ErrnoException) => {
  console.error(`cannot talk to ${HOST}:${PORT}: ${err.code ?? err.message}`);
  process.exitCode = 1;
});
