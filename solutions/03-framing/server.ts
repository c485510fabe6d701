// Lesson 3: the framing server.
// Answer every frame with one frame holding the same bytes reversed, for any number of
// clients. Run it: npx tsx exercises/03-framing/server.ts
import net from 'node:net';
import { encodeFrame, FrameDecoder, FrameTooLargeError } from './framing.ts';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 65432);

const server = net.createServer((socket) => {
  // Filled in: one decoder per connection, because each client's stream is cut differently.
  const decoder = new FrameDecoder();

  const peer = `${socket.remoteAddress}:${socket.remotePort}`;

  socket.on('data', (chunk: Buffer) => {
    // Filled in: a chunk may hold part of a frame, one frame, or several; answer each whole one.
    let payloads: Buffer[];
    try {
      payloads = decoder.push(chunk);
    } catch (err) {
      if (!(err instanceof FrameTooLargeError)) throw err;
      // Filled in: a length above the limit. Past it the stream cannot be cut into frames, so
      // say why and drop this one connection now (destroy: nothing more is read or answered).
      console.error(`${peer}: ${(err as Error).message}; closing this connection`);
      socket.destroy();
      return;
    }
    for (const payload of payloads) {
      // Buffer.from copies, so reversing does not touch the decoder's memory.
      const queued = !socket.write(encodeFrame(Buffer.from(payload).reverse()));
      // Filled in: a client that does not read its replies fills our queue: stop reading its
      // requests until the queue has drained, so memory stays bounded.
      if (queued && !socket.isPaused()) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    }
  });

  // Filled in: the client sent FIN; end() sends our FIN after every queued reply.
  socket.on('end', () => socket.end());

  socket.on('error', (err: NodeJS.ErrnoException) => console.error(`connection error: ${err.code ?? err.message}`));
});

server.listen(PORT, HOST, () => console.log(`listening on ${HOST}:${PORT}`));
