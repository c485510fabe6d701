// Every mistake lesson 4's checks recognise, with the hint aimed at it: the server's first, then
// the client's. Where a check had no reason to name one, its general hint is given.
import { defineDiagnoses } from '../check.ts';

/** The largest UDP payload over IPv4: 65535 - 20 (IP header) - 8 (UDP header). */
export const MAX_IPV4_PAYLOAD = 65507;

export const diagnoses = defineDiagnoses({
  'udp4-for-ipv6-host':
    "The socket's type must follow HOST: a 'udp4' socket cannot bind or reach an IPv6 address such as ::1 (bind fails with EINVAL). Choose it from HOST: dgram.createSocket(net.isIPv6(HOST) ? 'udp6' : 'udp4').",
  'replies-from-other-socket':
    'The reply left from another socket than the one bound to PORT. A client that connect()ed its socket to HOST:PORT (or checks where replies come from) drops it. Send the echo with the same socket that received the datagram: socket.send(msg, rinfo.port, rinfo.address) in its own "message" listener.',
  'replies-without-sender-address':
    "Reply to the sender of each datagram: socket.send(msg, rinfo.port, rinfo.address). Without an address Node sends to 127.0.0.1 (::1 for udp6), which is not where the grader is; a fixed port is nobody's.",
  'connects-server-socket':
    "The server's socket is connected to one peer: a connected UDP socket only receives from that peer. Do not connect() a server socket; reply with socket.send(msg, rinfo.port, rinfo.address).",
  'splits-datagram': 'One send() is one datagram: send the whole msg back in a single socket.send(), never in pieces.',
  'truncates-datagram': `A datagram arrives whole in one 'message' event, whatever its size (up to ${MAX_IPV4_PAYLOAD} bytes over IPv4): send all of msg back. Slicing it to a buffer size copies recvfrom(1024), which on a real socket silently discards the rest of the datagram.`,
  'decodes-as-text':
    'EF BF BD is the UTF-8 "replacement character": the datagram was decoded as text (toString()) and encoded again. Send back the Buffer you received.',
  'drops-largest-datagram': `A datagram may hold up to ${MAX_IPV4_PAYLOAD} bytes over IPv4; echo it as it is. Adding even one byte makes the send fail with EMSGSIZE.`,
  'ignores-repeats':
    'A repeated datagram from the same sender was not answered. That is what a retransmission looks like: the client sends the same message again because the echo was lost on the way back. Echo every datagram; do not remember what you already answered.',
  'replies-to-first-sender':
    'There is no "the client" in UDP: saving the first sender\'s address, as if it were accept()ed, sends everyone\'s echoes to that one client. Reply to the rinfo of each datagram.',
  'replies-to-last-sender':
    'The echo went to whoever sent last, not to the sender of that datagram. Use the rinfo passed with the same "message" event, not a variable shared between events.',
  'crashes-on-datagram': 'Add socket.on("error", ...) and do not let one datagram throw: an uncaught error ends the whole server.',
  'closes-on-empty':
    "An empty datagram is not TCP's empty recv(): it does not mean the other side is done, because there is no connection to close. Do not close the socket on it; echo it.",
  'ignores-empty':
    'A 0-byte datagram is valid: msg.length === 0 in the "message" event. Send it back too: socket.send(msg, rinfo.port, rinfo.address) sends a 0-byte datagram.',
  'keeps-running-when-bind-fails':
    'A server that could not bind serves nobody: when bind() fails (an "error" event before the bind callback), print the error, set process.exitCode = 1 and close the socket; nothing else should keep the process alive.',
  'exits-zero-when-bind-fails':
    'The bind failed but the exit code says success: whoever started the server cannot tell it is not running. In the "error" listener, before the socket is bound, set process.exitCode = 1 and close the socket.',
  'bind-error-names-no-address':
    'Name what could not be bound, e.g. console.error(`cannot bind ${HOST}:${PORT}: ${err.code}`): "EADDRINUSE" alone does not say which address was taken.',

  'timer-outlives-message':
    'The stack trace starts in a timer: a retry timer fired after its message was answered, or after the socket was closed (ERR_SOCKET_DGRAM_NOT_RUNNING). clearTimeout() the pending timer as soon as the answer comes, before the next message or close().',
  'no-default-count':
    'The count argument is optional: without one, send 5 messages, e.g. Number(process.argv[2] ?? 5). Without an argument process.argv[2] is undefined, and Number(undefined) is NaN.',
  'sends-line-ending': 'Send the message text alone: no newline or spaces around it. Datagrams keep their boundaries, so no separator is needed.',
  'never-closes-socket': 'Close the socket after the last echo (socket.close()) and clear every timer: an open socket or a pending timer keeps the process alive.',
  'prints-buffer-object': 'console.log(reply) prints a Buffer as <Buffer 6d 73 67 …>. Print its text: console.log(reply.toString()).',
  'prints-other-text': 'Print each echo as it came back, one per line and nothing else: "msg 1", "msg 2", …',
  'never-retransmits':
    'UDP never resends anything for you. When you send a message, start a timer (setTimeout, 100 ms to 1 s); if its echo has not arrived when the timer fires, send the message again and restart the timer. Clear the timer when the echo arrives.',
  'prints-duplicates':
    'The same echo can arrive more than once: the network may duplicate a datagram, and every copy you sent (the retransmissions too) is echoed. Print "msg k" only the first time its echo arrives: in stop-and-wait, only when it equals the message you are waiting for.',
  'takes-stale-echo-as-answer':
    'A late or duplicated echo of an earlier message was taken as the answer to the message being waited for, so that message was skipped. An arriving datagram is not necessarily the reply to your last send: compare it with the message you are waiting for and ignore anything else.',
  'prints-expected-text':
    "A datagram that was not the echo of the message in flight (here a late duplicate of an earlier echo) was taken as its answer, and the text you expected was printed instead of the reply that came. Print the reply's own text, and only when it equals the message you are waiting for; ignore anything else and keep retransmitting.",
  'prints-in-arrival-order':
    'Datagrams are not kept in order: with several messages in flight, their echoes arrive in any order. Print in sequence order: hold an early echo until every message before it has been printed.',
  'retransmits-without-waiting':
    'The tries follow each other without any wait, as from a loop or setInterval(…, 1): that floods the network and never gives the echo time to come back. Resend only when a timer of 100 ms to 1 s fires, and restart it after every try.',
  'sends-bursts':
    'Most tries went out in bursts, several copies of the message at once, then a pause: each copy after the first is a retry 0 ms after the previous try. Send one copy per try, and the next try only when the timer (100 ms to 1 s) fires.',
  'retry-timer-too-short':
    'The retry timer is shorter than 100 ms. An echo may well take longer than that to come back: resending sooner only adds datagrams to a link that is already losing them. Use a timeout between 100 ms and 1 s.',
  'retry-timer-too-long':
    'The retry timer is longer than 1 s: every lost datagram then costs the user more than a second. Use a timeout between 100 ms and 1 s.',
  'resends-answered-message':
    "A message went out again after its echo had arrived: a timer or setInterval of an answered message still runs, or the retransmission sends another message's text. On the echo, clear that message's timer, and retransmit only the message still waiting for its echo.",
  'backoff-past-1s':
    'Several waits between tries were longer than 1 s, as from a backoff that doubles past it or adds its randomness on top of the cap. Cap every wait at 1 s, randomness included: the window is 100 ms to 1 s for each try, not on average.',
  'gives-up-too-soon':
    'Keep trying until the 20th try has gone unanswered: a client that gives up sooner reports a server as gone while a few more tries would have reached it, on a link that loses a quarter of its datagrams.',
  'never-gives-up': 'Count the tries and stop at 20: a client that retries forever never tells its user that the server is gone.',
  'hangs-after-giving-up':
    'After giving up, close the socket and clear the timer: an open dgram socket keeps the process alive, so the program hangs instead of exiting.',
  'throws-to-give-up': 'Do not throw to give up: print one line with console.error, set process.exitCode = 1 and close the socket.',
  'gives-up-with-exit-zero':
    'Giving up is a failure the caller must be able to see: set process.exitCode = 1 (and print one line on stderr) when a message gets no answer.',
  'gives-up-without-one-line': 'console.error one line, such as `no echo of "msg 1" from HOST:PORT after 20 tries`, then process.exitCode = 1.',
  'retries-faster-when-answered':
    'Before any echo had come, the tries were paced, but once echoes arrived (with each first copy lost, or behind the lossy link) they came much faster: something other than a 100 ms – 1 s timer sends again, such as a timeout adapted to the measured round trip without a 100 ms floor, or a resend on every unexpected datagram. Keep every retry 100 ms to 1 s after the previous try of that message.',
});
