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
  // Filled in: a counter and an in-buffer for this connection alone.
  let lineCount = 0;
  let pending = Buffer.alloc(0);

  // Each "data" event is read readiness with the recv() already done.
  socket.on('data', (chunk: Buffer) => {
    // Filled in: append, then answer every complete line; keep the unfinished rest.
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let start = 0;
    for (let end = pending.indexOf(NEWLINE); end !== -1; end = pending.indexOf(NEWLINE, start)) {
      lineCount += 1;
      const reply = Buffer.concat([Buffer.from(`${lineCount} `), pending.subarray(start, end + 1)]);
      // Filled in: write() returns false once its queue is full, the out-buffer of the guide.
      // Stop reading (unregister read interest) until "drain" says the queue has emptied.
      if (!socket.write(reply) && !socket.isPaused()) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
      start = end + 1;
    }
    pending = pending.subarray(start);
  });

  // Filled in: "end" is recv() returning b''. end() sends the queued replies, then FIN.
  socket.on('end', () => socket.end());

  // Filled in: a reset (ECONNRESET, EPIPE) concerns this client only; log it and carry on.
  socket.on('error', (err: NodeJS.ErrnoException) => console.error(`client error: ${err.code ?? err.message}`));
});

// Filled in: bind to exactly HOST:PORT; the server keeps running until it is stopped.
server.listen(PORT, HOST, () => console.log(`listening on ${HOST}:${PORT}`));
