// Lesson 4: the UDP client that retransmits.
// Send "msg 1" … "msg N", resend each until its echo arrives, print each echo once, in order. Run it: npx tsx exercises/04-udp/client.ts 5
import dgram from 'node:dgram';
import net from 'node:net';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 65432);
const COUNT = Number(process.argv[2] ?? 5);
/** How long to wait for an echo before sending again: between 100 ms and 1 s. */
const TIMEOUT_MS = 150;
const MAX_TRIES = 20;

const socket = dgram.createSocket(net.isIPv6(HOST) ? 'udp6' : 'udp4');
let seq = 1;
let tries = 0;
let timer: NodeJS.Timeout | undefined;

function giveUp(reason: string): void {
  clearTimeout(timer);
  console.error(reason);
  process.exitCode = 1;
  // An open socket or a pending timer would keep the process alive.
  socket.close();
}

function sendCurrent(): void {
  // Filled in: count the tries; after the last one has gone unanswered, give up.
  if (tries === MAX_TRIES) {
    giveUp(`no echo of "msg ${seq}" from ${HOST}:${PORT} after ${MAX_TRIES} tries`);
    return;
  }
  tries++;
  socket.send(`msg ${seq}`, PORT, HOST);
  // Filled in: the retransmission timer; it is cleared when the echo arrives.
  timer = setTimeout(sendCurrent, TIMEOUT_MS);
}

socket.on('message', (reply) => {
  const text = reply.toString('utf8');
  // Filled in: a duplicate, or a late echo of an earlier message: not the one awaited.
  if (text !== `msg ${seq}`) return;
  clearTimeout(timer);
  console.log(text);
  seq++;
  tries = 0;
  if (seq > COUNT) socket.close();
  else sendCurrent();
});

// Filled in: e.g. a HOST that does not resolve; one line, no stack trace.
socket.on('error', (err: NodeJS.ErrnoException) => giveUp(`cannot send to ${HOST}:${PORT}: ${err.code ?? err.message}`));

if (Number.isInteger(COUNT) && COUNT > 0) {
  sendCurrent();
} else {
  console.error(`usage: client.ts [count], count a whole number above 0, not "${process.argv[2]}"`);
  process.exitCode = 2;
  socket.close();
}
