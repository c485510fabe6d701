// Naming why lesson 3's server died after a client reset its connection, from what it printed.
import type { RunningProgram } from '../../run/program.ts';
import { describeExit } from '../../run/program.ts';
import { fail } from '../check.ts';
import { crashReport, exitWithin } from '../shared/exit.ts';

/** The hint for a server that died after a reset, from the way Node reported it. */
export function resetCrashHint(stderr: string): string {
  if (stderr.includes("Unhandled 'error' event")) {
    return 'The server crashed when a client reset its connection (ECONNRESET): with no "error" listener on the accepted socket, Node throws the error and every client loses the server. Add socket.on("error", ...) inside the connection callback.';
  }
  if (stderr.includes('fromPromise')) {
    return 'The server crashed when a client reset its connection (ECONNRESET): the reset rejected a promise that nothing catches; a for await loop over the socket throws the socket\'s error. Wrap the loop in try/catch, log the error and let that one connection go.';
  }
  return 'The server died when a client reset its connection (ECONNRESET). A reset is an error on that one socket: handle it (an "error" listener, a try/catch around a for await loop) and keep serving the others.';
}

/** Fails if `server` exits within `ms`: it died of the reset. */
export async function failIfDiedOfReset(server: RunningProgram, ms: number): Promise<void> {
  const exit = await exitWithin(server, ms);
  if (!exit) return;
  const crash = crashReport(server.stderr.text);
  fail(`${server.label} ${describeExit(exit)} after a client reset its connection${crash ? `: ${crash.trim()}` : ''}`, {
    expected: 'keeps running and serves the next client',
    actual: describeExit(exit),
    hint: resetCrashHint(server.stderr.text),
  });
}
