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
  // Filled in: binary content is written as bytes, JSON content decoded once, whole.
  if (reply.header['content-type'] === BINARY_TYPE) {
    process.stdout.write(reply.content);
    return 0;
  }
  const body = reply.header['content-type'] === JSON_TYPE ? (parseJson(reply.content) as Record<string, unknown> | undefined) : undefined;
  if (typeof body === 'object' && body !== null && typeof body.result === 'string') {
    console.log(body.result);
    return 0;
  }
  if (typeof body === 'object' && body !== null && typeof body.error === 'string') {
    console.error(`error: ${body.error}: ${String(body.message ?? '')}`);
    return 1;
  }
  console.error(`error: a reply this client cannot read (content-type "${reply.header['content-type']}")`);
  return 1;
}

const [action, value] = process.argv.slice(2);
if (!action || (action !== 'binary' && value === undefined)) {
  console.error('usage: client.ts search VALUE | client.ts ACTION VALUE | client.ts binary < FILE');
  process.exit(2);
}
const request = action === 'binary' ? encodeMessage(BINARY_TYPE, await readStdin()) : encodeJson({ action, value });

const socket = net.connect(PORT, HOST);
const reader = new MessageReader();
let answered = false;
socket.on('connect', () => socket.write(request));
socket.on('data', (chunk: Buffer) => {
  if (answered) return;
  try {
    // Filled in: nothing is printed until the reader has the whole reply.
    const [reply] = reader.push(chunk);
    if (!reply) return;
    answered = true;
    process.exitCode = show(reply);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    answered = true;
    console.error(`error: the reply is not a message of the protocol: ${error.message}`);
    process.exitCode = 1;
  }
  socket.end();
});
socket.on('end', () => {
  if (answered) return;
  console.error(`error: the server ended the connection before a whole reply (${reader.pendingBytes} bytes of one arrived)`);
  process.exitCode = 1;
});
socket.on('error', (err: NodeJS.ErrnoException) => {
  console.error(`error: cannot talk to ${HOST}:${PORT}: ${err.code ?? err.message}`);
  process.exitCode = 1;
});
