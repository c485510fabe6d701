// Lesson 8: the application-protocol client.
// Send one request from the arguments, print the decoded reply, exit 0 on a normal reply.
// Run it: npx tsx exercises/08-application-protocol/client.ts search morpheus
import net from 'node:net';
import { BINARY_TYPE, encodeJson, encodeMessage, JSON_TYPE, MessageReader, parseJson, ProtocolError, type Message } from './protocol.ts';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 65432);

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Prints one reply; its return value is the exit code. */
function show(reply: Message): number {
  // TODO: binary content is written to stdout as bytes; a text/json {"result": R} prints R; a
  // text/json {"error": KIND} prints KIND on stderr and fails.
  void reply;
  void BINARY_TYPE;
  void JSON_TYPE;
  void parseJson;
  return 1;
}

const [action, value] = process.argv.slice(2);
if (!action || (action !== 'binary' && value === undefined)) {
  console.error('usage: client.ts search VALUE | client.ts ACTION VALUE | client.ts binary < FILE');
  process.exit(2);
}
const request = action === 'binary' ? encodeMessage(BINARY_TYPE, await readStdin()) : encodeJson({ action, value });

const socket = net.connect(PORT, HOST);
// TODO: send the request once connected; feed every chunk to a MessageReader and show the first
// whole reply, then end the connection. A ProtocolError, or an "end" before a whole reply, is a
// broken stream: a line on stderr and exit code 1.
void request;
void MessageReader;
void ProtocolError;
void show;
socket.on('error', (err: NodeJS.ErrnoException) => {
  console.error(`error: cannot talk to ${HOST}:${PORT}: ${err.code ?? err.message}`);
  process.exitCode = 1;
});
