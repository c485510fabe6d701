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
  // TODO: by the request's content-type: binary content gets its bytes reversed in a binary
  // reply; text/json content {"action":"search","value":V} gets {"result": ...} from TABLE's
  // own keys (or No match for "V".); anything else gets the error reply the lesson names for it.
  void request;
  void BINARY_TYPE;
  void JSON_TYPE;
  void encodeMessage;
  void parseJson;
  return errorReply(new ProtocolError('unknown-content-type', 'not written yet'));
}

const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  // TODO: per connection, a MessageReader; on "data", answer every whole request it returns. A
  // ProtocolError from it means the stream cannot be read on: answer its messagesBefore, send
  // its error reply and end this connection. On "end", answer an unfinished message with "truncated", then end.
  void MessageReader;
  void encodeJson;

  socket.on('error', (err: NodeJS.ErrnoException) => console.error(`connection error: ${err.code ?? err.message}`));
});

server.listen(PORT, HOST, () => console.log(`listening on ${HOST}:${PORT}`));
