// Lesson 3: the framing client.
// Send each line of stdin as one frame and print each reply frame as one line, in order.
// Run it: printf "hello\nworld\n" | npx tsx exercises/03-framing/client.ts
import net from 'node:net';
import readline from 'node:readline';
import { encodeFrame, FrameDecoder, FrameTooLargeError } from './framing.ts';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 65432);

const socket = net.connect(PORT, HOST);
const decoder = new FrameDecoder();
let sent = 0;
let received = 0;
let stdinDone = false;

// Filled in: every line becomes one frame; the newline is the line's end, not part of it.
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  socket.write(encodeFrame(Buffer.from(line, 'utf8')));
  sent++;
});
lines.on('close', () => {
  stdinDone = true;
  finishIfDone();
});

socket.on('data', (chunk: Buffer) => {
  // Filled in: print a reply only once its whole frame is here.
  let replies: Buffer[];
  try {
    replies = decoder.push(chunk);
  } catch (err) {
    if (!(err instanceof FrameTooLargeError)) throw err;
    // Filled in: a reply length above the limit: this is not our protocol, and its payload is
    // not worth waiting for. Say so, stop reading stdin and the socket, and exit non-zero.
    console.error(`${HOST}:${PORT}: ${(err as Error).message}`);
    process.exitCode = 1;
    socket.destroy();
    lines.close();
    return;
  }
  for (const reply of replies) {
    console.log(reply.toString('utf8'));
    received++;
  }
  finishIfDone();
});

/** Every line sent and every reply printed: close our side; the server then closes its own. */
function finishIfDone(): void {
  if (stdinDone && received === sent && !socket.writableEnded && !socket.destroyed) socket.end();
}

// Filled in: the server ended first. A reply missing, or a frame cut off, is an error.
socket.on('end', () => {
  const missing = sent - received;
  if (missing > 0 || decoder.pendingBytes > 0 || !stdinDone) {
    const cut = decoder.pendingBytes > 0 ? `, ${decoder.pendingBytes} bytes of an unfinished reply` : '';
    console.error(`${HOST}:${PORT} ended the connection with ${missing} of ${sent} replies missing${cut}`);
    process.exitCode = 1;
  }
});

socket.on('error', (err: NodeJS.ErrnoException) => {
  console.error(`cannot talk to ${HOST}:${PORT}: ${err.code ?? err.message}`);
  process.exitCode = 1;
});
