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
  // TODO: count the tries; once MAX_TRIES of them have gone unanswered, giveUp(...) instead of sending.
  socket.send(`msg ${seq}`, PORT, HOST);
  // TODO: start a timer (TIMEOUT_MS) that calls sendCurrent() again if no echo arrives.
}

socket.on('message', (reply) => {
  // TODO: ignore anything that is not the echo of `msg ${seq}` (duplicates, late echoes).
  // TODO: for the awaited echo: stop the timer, print it, then send the next message,
  // or close the socket after the last one.
  void reply;
  socket.close();
});

// TODO: handle the socket's 'error' event with giveUp(...): one line, no stack trace.

if (Number.isInteger(COUNT) && COUNT > 0) {
  sendCurrent();
} else {
  console.error(`usage: client.ts [count], count a whole number above 0, not "${process.argv[2]}"`);
  process.exitCode = 2;
  socket.close();
}
