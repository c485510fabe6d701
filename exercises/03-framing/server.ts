// Lesson 3: the framing server.
// Answer every frame with one frame holding the same bytes reversed, for any number of
// clients. Run it: npx tsx exercises/03-framing/server.ts
import net from 'node:net';
import { encodeFrame, FrameDecoder } from './framing.ts';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 65432);

const server = net.createServer((socket) => {
  // TODO: one FrameDecoder per connection: where would a global one go wrong?
  socket.on('data', (chunk: Buffer) => {
    // TODO: push the chunk into the decoder; answer every whole frame it returns with a
    // frame holding the payload's bytes in reverse order.
    // TODO: if the decoder refuses a length (a FrameTooLargeError), write one line to stderr
    // saying which client and why, and close this connection at once; the others go on.
    // Any other error is a bug: let it through.
    void chunk;
    void encodeFrame;
    void FrameDecoder;
  });

  // TODO: when the client ends (recv() returned b''), end your side after the replies.

  socket.on('error', (err: NodeJS.ErrnoException) => console.error(`connection error: ${err.code ?? err.message}`));
});

server.listen(PORT, HOST, () => console.log(`listening on ${HOST}:${PORT}`));
