// Lesson 8: the application-protocol server.
// Answer search requests and binary content, and every malformed request with an error reply,
// for any number of clients at once. Run it: npx tsx exercises/08-application-protocol/server.ts
import net from 'node:net';
import { BINARY_TYPE, encodeJson, encodeMessage, JSON_TYPE, MessageReader, parseJson, ProtocolError, type Message } from './protocol.ts';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 65432);

/** The lesson's table: what "search" looks up. */
const TABLE: Readonly<Record<string, string>> = {
  morpheus: 'Follow the white rabbit. 🐰',
  ring: 'In the caves beneath the Misty Mountains. 💍',
  '🐶': '🐾 Playing ball! 🏐',
  'grüße': 'Grüße aus Köln, 3 € der Kaffee ☕',
};

function errorReply(error: ProtocolError): Buffer {
  return encodeJson({ error: error.kind, message: error.message });
}

/** The reply to one whole request; a request it cannot serve gets an error reply. */
function answer(request: Message): Buffer {
  // Filled in: the content type says how to read the content.
  const type = request.header['content-type'];
  if (type === BINARY_TYPE) return encodeMessage(BINARY_TYPE, Buffer.from(request.content).reverse());
  if (type !== JSON_TYPE) return errorReply(new ProtocolError('unknown-content-type', `cannot serve content of type "${type}"`));
  const body = parseJson(request.content) as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null || typeof body.action !== 'string' || typeof body.value !== 'string') {
    return errorReply(new ProtocolError('invalid-content', 'the content is not a JSON object with a string "action" and "value"'));
  }
  if (body.action !== 'search') return errorReply(new ProtocolError('unknown-action', `unknown action "${body.action}"`));
  return encodeJson({ result: Object.hasOwn(TABLE, body.value) ? TABLE[body.value] : `No match for "${body.value}".` });
}

const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  // Filled in: one reader per connection, since each client's stream is cut differently.
  const reader = new MessageReader();
  let unreadable = false;

  socket.on('data', (chunk: Buffer) => {
    if (unreadable) return;
    try {
      for (const request of reader.push(chunk)) socket.write(answer(request));
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      for (const request of error.messagesBefore) socket.write(answer(request));
      // Filled in: after a bad header nothing tells where the next message starts: say why, then end this connection only.
      unreadable = true;
      socket.end(errorReply(error));
    }
  });

  socket.on('end', () => {
    if (unreadable) return;
    // Filled in: the client ended in the middle of a message: its content-length promised more.
    if (reader.pendingBytes > 0) socket.end(errorReply(new ProtocolError('truncated', `the connection ended ${reader.pendingBytes} bytes into a message`)));
    else socket.end();
  });

  socket.on('error', (err: NodeJS.ErrnoException) => console.error(`connection error: ${err.code ?? err.message}`));
});

server.listen(PORT, HOST, () => console.log(`listening on ${HOST}:${PORT}`));
