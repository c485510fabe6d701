// Lesson 5: many clients at once, select-style multiplexing.
// Answer every line with "N LINE", N counting that connection's lines, and stop reading
// from a client whose replies cannot be sent yet. Run it: npx tsx exercises/05-multiplexing/server.ts
import net from 'node:net';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 65432);
const NEWLINE = 0x0a;

// The event loop is the select() loop: this callback runs once per accept() that is ready.
const server = net.createServer((socket) => {
  // Per-connection state, like the guide's `data` object registered with the selector.
  // Filled in: a counter, and the pieces of a line that has not ended yet (the in-buffer).
  // Keeping pieces instead of concatenating every chunk onto one buffer means a long line
  // is copied once, not once per chunk.
  let lineCount = 0;
  const unfinished: Buffer[] = [];

  // Each "data" event is read readiness with the recv() already done.
  socket.on('data', (chunk: Buffer) => {
    // Filled in: answer every complete line with its bytes as they came; keep what follows
    // the last "\n" for later.
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      lineCount += 1;
      const reply = Buffer.concat([Buffer.from(`${lineCount} `), ...unfinished, chunk.subarray(start, end + 1)]);
      unfinished.length = 0;
      start = end + 1;
      // Filled in: write() returns false once its queue (the out-buffer) is full. Stop
      // reading (unregister read interest) until "drain" says the queue has emptied.
      if (!socket.write(reply) && !socket.isPaused()) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    }
    if (start < chunk.length) unfinished.push(chunk.subarray(start));
  });

  // Filled in: "end" is recv() returning b''. end() sends the queued replies, then FIN;
  // what is left in `unfinished` is not a line and gets no answer.
  socket.on('end', () => socket.end());

  // Filled in: a reset (ECONNRESET, EPIPE) concerns this client only; log it and carry on.
  socket.on('error', (err: NodeJS.ErrnoException) => console.error(`client error: ${err.code ?? err.message}`));
});

// Filled in: bind to exactly HOST:PORT; the server keeps running until it is stopped.
server.listen(PORT, HOST, () => console.log(`listening on ${HOST}:${PORT}`));
