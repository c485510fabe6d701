// Lesson 7: one client, many connections at once.
// Each argument is one connection's message; at most 4 are open at a time. Run it:
// npx tsx exercises/07-many-connections/client.ts hello world "one more"
import net from 'node:net';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 65432);
/** Connections open at once: the rest wait for a free slot. */
const LIMIT = 4;
/** Each connection's own deadline, counted from its connect. */
const DEADLINE_MS = 2000;
const USAGE = 'usage: client.ts MESSAGE... (one connection per message)';

type Result = { readonly ok: true; readonly reply: string } | { readonly ok: false; readonly reason: string };

/** What the reply says about the connection: the echo, or how it fell short. */
function judge(sent: Buffer, reply: Buffer): Result {
  if (reply.equals(sent)) return { ok: true, reply: reply.toString('utf8') };
  if (reply.length < sent.length && sent.subarray(0, reply.length).equals(reply)) {
    return { ok: false, reason: `short reply (${reply.length} of ${sent.length} bytes)` };
  }
  return { ok: false, reason: `wrong reply (${reply.length} bytes)` };
}

/** One connection, start to end, with its own state; resolves once, never rejects. */
function exchange(message: string): Promise<Result> {
  return new Promise((resolve) => {
    // TODO: connect to HOST:PORT; once connected send the message's bytes and half-close;
    // keep this connection's chunks; on the server's end resolve with judge(sent, reply);
    // on "error" resolve with err.code. Give the whole exchange a deadline of DEADLINE_MS
    // that destroys the socket and resolves "timed out", and clear it however it ends.
    void net;
    void HOST;
    void PORT;
    void DEADLINE_MS;
    void judge;
    resolve({ ok: false, reason: `not written yet: ${message}` });
  });
}

function line(index: number, result: Result): string {
  return result.ok ? `#${index + 1} ok: ${JSON.stringify(result.reply)}` : `#${index + 1} failed: ${result.reason}`;
}

async function main(): Promise<void> {
  const messages = process.argv.slice(2);
  if (messages.length === 0) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  // TODO: run the exchanges, at most LIMIT at a time: start the next one as soon as any one
  // ends, not when a whole batch has. Keep each result at its message's index.
  const results: Result[] = [];
  void LIMIT;
  void exchange;
  results.forEach((result, index) => console.log(line(index, result)));
  const succeeded = results.filter((result) => result.ok).length;
  console.log(`${succeeded} of ${messages.length} connections succeeded`);
  process.exitCode = succeeded === messages.length ? 0 : 1;
}

void main();
