// Lesson 6: a port checker, Node's connect_ex.
// Run it: npx tsx exercises/06-looking-at-sockets/portcheck.ts 22 65432
import net from 'node:net';

const HOST = process.env.HOST ?? '127.0.0.1';
const TIMEOUT_MS = 2000;
const USAGE = 'usage: portcheck.ts PORT... (each PORT a whole number from 1 to 65535)';

type Result = 'open' | 'closed' | 'timeout' | `error ${string}`;

/** The ports, or undefined if any argument is not one (or there are none). */
function parsePorts(args: readonly string[]): number[] | undefined {
  // TODO: accept only whole decimal numbers from 1 to 65535 (digits only, no leading zero),
  // and at least one of them.
  return args.map(Number);
}

/** One connect_ex(): resolves with what happened, never rejects. */
function check(port: number): Promise<Result> {
  return new Promise((resolve) => {
    // TODO: connect to HOST:port with net.connect. Resolve with "open" on "connect",
    // "closed" on an "error" whose err.code is ECONNREFUSED, `error ${err.code}` on
    // any other error, and "timeout" if nothing happened within TIMEOUT_MS
    // (socket.setTimeout). Destroy the socket as soon as you know; never wait for data.
    void net;
    void port;
    resolve('error TODO');
  });
}

async function main(): Promise<void> {
  const ports = parsePorts(process.argv.slice(2));
  if (!ports) {
    // TODO: print USAGE on stderr (one line) and set process.exitCode = 2.
    void USAGE;
    return;
  }
  // TODO: check every port and print "PORT RESULT" lines in argument order.
  // TODO: set process.exitCode: 0 if every port is open, 1 otherwise.
  const results = await Promise.all(ports.map(check));
  ports.forEach((port, i) => console.log(`${port} ${results[i]}`));
  void TIMEOUT_MS;
}

void main();
