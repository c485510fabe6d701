// Every mistake lesson 6's checks recognise, with the hint aimed at it. Where a hint needs a
// fact of the run (the port, the error code, the argument), the check puts it before the hint
// with withFact().
import { defineDiagnoses } from '../check.ts';
import { CONNECT_TIMEOUT_MS } from './contract.ts';

const TIMEOUT = `${CONNECT_TIMEOUT_MS / 1000} s`;
const REFUSE = 'Refuse it before connecting: console.error one usage line and set process.exitCode = 2.';

export const diagnoses = defineDiagnoses({
  // usage-errors: which part of "digits only, no leading zero, 1 to 65535" the parse missed.
  'number-accepts-notation': `Number.isInteger(Number(arg)) lets it through: Number() also reads hexadecimal (0x50), exponents (1e3), a sign (+80), a ".0" and spaces around the digits. Test the text itself: /^[1-9]\\d*$/. ${REFUSE}`,
  'parseint-accepts-suffix': `parseInt stops at the first non-digit, so it reads a number from text that is not one at all (Number() of it is NaN). Accept digits only: /^[1-9]\\d*$/. ${REFUSE}`,
  'accepts-leading-zero': `A port is written without a leading zero, and many tools read a leading 0 as octal. Accept /^[1-9]\\d*$/ only. ${REFUSE}`,
  'accepts-non-number': `It is not a whole decimal number, so it is not a port. Accept /^[1-9]\\d*$/ only. ${REFUSE}`,
  'upper-bound-off-by-one': `Ports are 16-bit, so 65535 is the largest and 65536 is one past it: test port <= 65535 (net.connect throws ERR_SOCKET_BAD_PORT for 65536). ${REFUSE}`,
  'accepts-out-of-range': `Ports to check go from 1 to 65535: port 0 means "any free port" to bind(), and nothing can be connected to on it; net.connect throws ERR_SOCKET_BAD_PORT above 65535. ${REFUSE}`,
  'no-arguments-accepted': 'With no arguments there is nothing to check: that is a usage error too (exit code 2, one line on stderr).',
  'connects-before-validating': 'It checked ports before rejecting the bad argument: validate every argument first, then connect.',
  'refuses-edge-port': `1 and 65535 are ports: the range includes both ends. Test port >= 1 && port <= 65535 (or /^[1-9]\\d*$/ and port <= 65535), not < 65535.`,
  'usage-on-stdout': 'The usage message went to stdout, where the port lines go: a script reading the results would take it for one. Print it with console.error (stderr), and set process.exitCode = 2.',
  'usage-thrown': 'A thrown Error is not a usage message: Node prints its stack trace and exits with code 1. console.error one usage line and set process.exitCode = 2 (or return before connecting anywhere).',
  'usage-not-one-line': 'Print exactly one line on stderr, such as "usage: portcheck.ts PORT... (each PORT from 1 to 65535)".',
  // What a one-port run printed for a port whose state the grader made.
  'ignores-host': 'Read the host from the environment: const HOST = process.env.HOST ?? "127.0.0.1". The grader listens on another loopback address, so a hard-coded 127.0.0.1 or "localhost" finds nothing there.',
  'waits-for-data': 'The server accepted the connection but sends nothing: "connect" is the answer. Waiting for "data" (or for the server to close) is waiting for something a port checker never needs.',
  'error-means-open': 'Nothing listens on that port, yet you reported it open: decide "open" only in the "connect" handler, and turn an "error" with err.code === "ECONNREFUSED" into "closed".',
  'no-error-listener': 'A refused connection is reported on the socket\'s "error" event; without a listener for it, Node throws and the process dies. socket.on("error", (err) => ... err.code ...).',
  'no-connect-timeout': `Nothing answers that port: no accept, no refusal. Set a deadline with socket.setTimeout(${CONNECT_TIMEOUT_MS}) (or the timeout option of net.connect), and on "timeout" destroy the socket and report "PORT timeout".`,
  'timeout-reported-as-error': `The deadline was yours, not an error of the connection: on "timeout", destroy the socket without an error (socket.destroy(), not socket.destroy(new Error(...))) and print "PORT timeout". An "error" line is for a code the kernel gave, such as ENETUNREACH.`,
  'throws-after-report': 'Handle "error" on every socket you create, and do not throw from it: report the port and carry on.',
  'reads-kernel-table': 'Report "open" only from the "connect" event of a connection you made yourself: net.connect(port, HOST). Reading which sockets listen (/proc/net/tcp, ss, netstat, lsof) tells you what the kernel lists, not whether a connection can be made, and the grader checks that its server really saw yours.',
  // reports-error: a connect failing with another code than ECONNREFUSED.
  'error-means-closed': 'Only ECONNREFUSED means closed: the host answered that nothing listens there. Any other code (nothing can be reached at that address) says nothing about the port: report it as `${port} error ${err.code}`.',
  'throws-other-errors': 'Handle "error" on every socket, whatever its code: without a listener (or by rethrowing the codes you did not expect) Node throws and the process dies.',
  'waits-after-error': 'The connect failed at once: report the "error" event when it comes, as `${port} error ${err.code}`, rather than waiting for a timeout.',
  'error-without-code': 'Print the error\'s code itself, err.code, after "error ": not its message.',
  // How it ends: sockets and timers left behind.
  'connection-left-open': 'An open socket keeps Node\'s event loop, and so the process, alive. Call socket.destroy() as soon as you know the answer, in every ending: "connect", "timeout" and "error".',
  'something-keeps-alive': 'Every connection it made is closed, yet the process kept running: something else keeps the event loop alive, such as a setTimeout or setInterval never cleared, a server, or stdin being read. Clear each timer once its port has answered; do not hide it with process.exit(), which can cut the output short.',
  'end-waits-for-fin': 'socket.end() sent your FIN, but end() waits for the server\'s FIN before the socket is closed, and this server never sends one. Use socket.destroy(): a port checker has nothing left to say or hear.',
  'silent-connection-left-open': 'The open socket keeps the process alive: call socket.destroy() as soon as "connect" fires (and in every other ending: error, timeout).',
  'holds-open-connection': 'It held the connection open long after it knew the port was open, as if waiting for an idle timeout or for data. "connect" is the whole answer: call socket.destroy() in the "connect" handler, then report. Every open port you hold ties up a slot of that server.',
  'timeout-leaves-socket': 'The kernel still shows that socket in SYN-SENT, resending its SYN, and the open socket keeps the process alive. socket.setTimeout() only emits "timeout"; it does not close anything. Call socket.destroy() in the "timeout" handler.',
  // reports-timeout: when "timeout" came.
  'short-timeout': `Wait the full ${TIMEOUT} before giving up: socket.setTimeout(${CONNECT_TIMEOUT_MS}), in milliseconds. A port on a busy or distant host can take longer to answer, and a shorter deadline reports it as "timeout" although it is open.`,
  'late-timeout': `Give up after ${TIMEOUT}, not later: socket.setTimeout(${CONNECT_TIMEOUT_MS}) counts milliseconds from the connect, and on "timeout" destroy the socket and report at once. A checker that waits longer than it promised makes every script that uses it wait too.`,
  // argument-order and exit-codes.
  'completion-order': 'Print in the order of the arguments, not in the order the answers arrive: a port that times out answers last. Keep the results in an array (Promise.all keeps order) and print once all are known, or check the ports one after the other.',
  'exit-code-from-one-port': 'It exited 0 although some ports in the middle were closed; only the first and the last were open. The exit code must come from every result, not from one port (the last answer, or the first): process.exitCode = results.every((result) => result === "open") ? 0 : 1.',
  'exit-code-never-set': 'A script that can fail tells its caller with the exit code: set process.exitCode = 1 when any port is not open (a shell can then write `portcheck.ts 80 && echo up`).',
  'exit-code-when-all-open': 'Exit with code 0 when every port is open: set process.exitCode from the results instead of always failing.',
});
