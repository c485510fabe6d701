// Every mistake lesson 7's checks recognise, with the hint aimed at it.
import { defineDiagnoses } from '../check.ts';

export const diagnoses = defineDiagnoses({
  'never-connects':
    'No connection reached the HOST and PORT the grader gave. Open one connection per argument with net.connect(PORT, HOST), PORT and HOST from the environment.',
  'never-half-closes':
    'The message arrived but its FIN did not: the echo server answers once the client has finished sending. Send it with socket.end(message), which writes and then half-closes.',
  'unbounded-concurrency':
    'Far more connections than LIMIT were open together: every one opened at once, or nearly (on a loaded machine some end before the last opens). A real client runs out of file descriptors (ulimit -n) or fills the server\'s accept backlog: keep at most LIMIT (4) open, and start the next one only when one of them has ended.',
  'pool-over-limit':
    'One connection more than LIMIT (4) was open at a time: the pool is larger than LIMIT, or a worker moves on before its connection has closed (on its first "data", say, or its own timer, with the socket not yet destroyed). A connection counts until its "close": start the next one only then.',
  sequential:
    'Each connection waited for the one before it to end, so one slow server reply held up all the rest. Keep up to LIMIT connections open at once: a pool of workers, each taking the next message when its own connection ends.',
  'waits-for-batch':
    'The connections ran in batches: the next batch waited until the slowest of the batch before it ended. Start the next connection as soon as any one ends (a pool of LIMIT workers pulling from one queue), not when the whole batch has.',
  'completion-order':
    'The lines came out in the order the connections finished, not in argument order. Store each result at its argument\'s index and print them all, in order, once every connection has ended.',
  'wrong-connection':
    'A line shows another connection\'s reply: results were stored in the order they finished (results.push) and numbered as if they were in argument order. Store each result at its own index: results[index] = …',
  'shared-buffer':
    'A connection was given bytes that came on another: the chunks of all connections went into one buffer (or one counter). Each connection needs its own: declare the chunks array inside the function that opens the connection.',
  'deadline-not-cleared':
    'It printed everything but stayed alive afterwards: a per-connection deadline timer still pending keeps the event loop running. Clear each connection\'s timer (clearTimeout) when the connection ends, whichever way it ends.',
  'stays-alive-after-printing':
    'It printed every result, then did not exit: something still holds the event loop. A connection whose deadline fired was left open (finish it with socket.destroy(), not only a result), or a timer was never cleared. process.exitCode is only used once the loop is empty.',
  'no-deadline':
    'One connection never got an answer, and the client waited for it forever. Give every connection a deadline of its own (a setTimeout started with it, cleared when it ends) that destroys the socket and records "timed out".',
  'global-deadline':
    'A connection that started late was cut off although it was answered inside its own 2 s: the deadline was counted from the start of the whole run, not from each connect. Start each connection\'s timer when that connection starts.',
  'deadline-from-connect-event':
    'A connection whose connect took a second was reported as ok although its echo came 2.5 s after net.connect(): the deadline was started in the "connect" listener. A connect can take seconds by itself (a server whose accept queue is full drops the SYN, and the client\'s kernel sends it again only a second later), and that time counts. Start the timer right after net.connect().',
  'idle-timeout':
    'A reply that came one byte at a time, far past the 2 s deadline, was reported as ok. socket.setTimeout() is an idle timeout: every byte restarts it. The deadline is for the whole exchange: one setTimeout started at connect.',
  'short-reply-as-ok':
    'The server ended the connection after part of the echo, and it was reported as ok. On "end", compare what came back with what was sent: fewer bytes is a short reply ("short reply (K of M bytes)").',
  'exits-zero-despite-failure':
    'Some connections failed, but the exit code said success: a script running the client cannot tell. Set process.exitCode = 1 when any connection failed.',
  'no-usage-error':
    'Without arguments there is nothing to do: that is a usage error. Print one usage line on stderr and set process.exitCode = 2, without connecting.',
});
