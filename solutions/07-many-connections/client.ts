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
    const sent = Buffer.from(message, 'utf8');
    // Filled in: this connection's buffer, not one shared by all of them.
    const chunks: Buffer[] = [];
    const socket = net.connect(PORT, HOST);
    const finish = (result: Result) => {
      clearTimeout(deadline);
      socket.destroy();
      resolve(result);
    };
    // Filled in: a deadline for the whole exchange, not an idle timeout.
    const deadline = setTimeout(() => finish({ ok: false, reason: 'timed out' }), DEADLINE_MS);
    // Filled in: end() queues every byte however many writes the kernel needs, then sends FIN.
    socket.on('connect', () => socket.end(sent));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish(judge(sent, Buffer.concat(chunks))));
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, reason: err.code ?? err.message }));
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
  // Filled in: a pool of LIMIT workers; each takes the next message as soon as it is free,
  // and stores its result by the message's index, whatever order they finish in.
  const results: Result[] = new Array<Result>(messages.length);
  let next = 0;
  const worker = async () => {
    while (next < messages.length) {
      const index = next++;
      results[index] = await exchange(messages[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LIMIT, messages.length) }, worker));
  results.forEach((result, index) => console.log(line(index, result)));
  const succeeded = results.filter((result) => result.ok).length;
  console.log(`${succeeded} of ${messages.length} connections succeeded`);
  process.exitCode = succeeded === messages.length ? 0 : 1;
}

void main();
