// Lesson 6: a port checker, Node's connect_ex.
// Run it: npx tsx exercises/06-looking-at-sockets/portcheck.ts 22 65432
import net from 'node:net';

const HOST = process.env.HOST ?? '127.0.0.1';
const TIMEOUT_MS = 2000;
const USAGE = 'usage: portcheck.ts PORT... (each PORT a whole number from 1 to 65535)';

type Result = 'open' | 'closed' | 'timeout' | `error ${string}`;

/** The ports, or undefined if any argument is not one (or there are none). */
function parsePorts(args: readonly string[]): number[] | undefined {
  // Filled in: digits only, no leading zero, so "8080x", "0x50", "1e3", "+80", " 80", "047531"
  // and "" are refused (Number() accepts most of them), then the range.
  const ports = args.map((arg) => (/^[1-9]\d*$/.test(arg) ? Number(arg) : NaN));
  const valid = ports.length > 0 && ports.every((port) => port <= 65535);
  return valid ? ports : undefined;
}

/** One connect_ex(): resolves with what happened, never rejects. */
function check(port: number): Promise<Result> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    // Filled in: the first answer wins; destroy() closes at once, without waiting for the server.
    const settle = (result: Result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(TIMEOUT_MS);
    socket.once('connect', () => settle('open'));
    socket.once('timeout', () => settle('timeout'));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      settle(err.code === 'ECONNREFUSED' ? 'closed' : `error ${err.code ?? err.message}`);
    });
  });
}

async function main(): Promise<void> {
  const ports = parsePorts(process.argv.slice(2));
  if (!ports) {
    // Filled in: one line on stderr and exit code 2, the usual "bad usage" code.
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  // Filled in: all at once; Promise.all keeps argument order whatever answers first.
  const results = await Promise.all(ports.map(check));
  ports.forEach((port, i) => console.log(`${port} ${results[i]}`));
  process.exitCode = results.every((result) => result === 'open') ? 0 : 1;
}

void main();
