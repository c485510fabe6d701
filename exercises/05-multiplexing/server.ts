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
  // TODO: a line counter and an in-buffer for this connection alone.

  // Each "data" event is read readiness with the recv() already done.
  socket.on('data', (chunk: Buffer) => {
    // TODO: for every complete line (up to a NEWLINE byte), count it and write
    // `${count} ${line}\n`, the line's bytes as they came. Keep what follows the last
    // NEWLINE for the next chunk.
    // TODO: when write() returns false, stop reading (pause) until "drain", then resume.
    void chunk;
    void NEWLINE;
  });

  // TODO: "end" is recv() returning b''. End your side so the queued replies still go out;
  // a line left unfinished is not a line and gets no answer.

  // TODO: a reset client emits "error": log it; it must not stop the server.
});

server.listen(PORT, HOST, () => console.log(`listening on ${HOST}:${PORT}`));
