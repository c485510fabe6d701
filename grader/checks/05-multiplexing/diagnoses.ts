// Every mistake lesson 5's checks recognise, with the hint aimed at it.
import { defineDiagnoses } from '../check.ts';

/** select()'s "stop watching for read, watch for write", in Node. */
export const BACKPRESSURE_HINT =
  'When socket.write() returns false, stop reading: socket.pause(), then socket.once("drain", () => socket.resume()). That is select()\'s "stop watching for read, watch for write".';

export const diagnoses = defineDiagnoses({
  // The reply to one line (lines.ts).
  'reply-without-number': 'The line came back without its number: reply with `${count} ${line}\\n`, count starting at 1 on every connection.',
  'reply-ends-with-cr': 'A "\\r" crept into the reply: answer with "\\n" only.',
  'queues-past-false':
    'It did stop reading, but only after queueing megabytes of replies in its own memory: a limit of your own on socket.writableLength is not backpressure. Pause the moment write() returns false, and resume on "drain".',
  'counts-from-zero': 'The count starts at 0: the first line of a connection is number 1 (increment before you reply).',
  'no-space-after-number': 'Put exactly one space between the number and the line: `${count} ${line}\\n`.',
  'reply-without-newline': 'The reply must end with "\\n": the client reads lines.',
  'closes-without-answering': 'The server closed the connection instead of answering: keep it open until the client ends it.',
  'answers-nothing': 'Nothing came back. In the "data" handler, find each "\\n", and write `${count} ${line}\\n` back on the same socket.',
  // Lines are found in a byte stream.
  'answers-per-chunk':
    'The server answers each "data" chunk as if it were a line. TCP keeps no message boundaries: a chunk can hold part of a line or several lines. Buffer per connection and split on "\\n".',
  // Lines are bytes (bytes.ts).
  'splits-on-lone-cr':
    'A lone "\\r" ended a line: the server splits lines like readline\'s "line" events (or a split on /\\r?\\n|\\r/), which also drops the "\\r" of "\\r\\n", decodes bytes as UTF-8 and hands over an unfinished last line. Only "\\n" ends a line here; every other byte, "\\r" included, belongs to it.',
  'decodes-as-utf8':
    'Bytes above 0x7F came back as U+FFFD (EF BF BD): the server decodes what it reads as UTF-8 text, which turns every byte that is not UTF-8 into U+FFFD (and chunk.toString() also breaks a character cut between two chunks; setEncoding("utf8") keeps those whole). A line is bytes: find 0x0a in the Buffer and write the line\'s own bytes back.',
  'trims-lines':
    'Spaces or tabs at the ends of a line were removed: the server trims lines (trim(), trimEnd()), which also eats the "\\r" before "\\n". Answer the line exactly as it came, every byte before the "\\n".',
  'drops-cr-before-newline':
    'The "\\r" before "\\n" was lost (a split on /\\r?\\n/ or readline does that): only "\\n" ends a line, and the "\\r" is part of the line, so it comes back in the reply.',
  'drops-empty-lines': 'The empty line got no answer (.filter(Boolean), or `if (!line) continue`): "\\n" alone is a line too, and its answer is "N \\n".',
  'changes-high-bytes':
    'A line with bytes above 0x7F came back changed: the server turns bytes into text and back. A line is bytes: write the line\'s own bytes back, with no decoding.',
  // State per connection.
  'shared-counter':
    'Numbers above 3 mean one counter is shared by every connection. Declare it inside the connection callback (or a per-connection object), so each client counts from 1.',
  'shared-buffer':
    'One buffer is shared by every connection. Declare the buffer inside the connection callback, so each socket keeps its own unfinished line.',
  // Many clients at once.
  'serves-one-at-a-time':
    'The server serves one connection at a time: it waits for a client to finish before it reads the next. Handle every socket as it comes, in its own callbacks (or its own async function that is not awaited by the accept loop).',
  // Backpressure.
  'keeps-reading':
    `It kept reading while its replies could not be sent, so they pile up in memory without bound: either it ignores write()'s return value, or it resumes before "drain" has fired (on a timer, or on its own). Only "drain" says the replies have gone. ${BACKPRESSURE_HINT}`,
  'resumes-before-drain':
    'The server paused, then read again although "drain" could not have fired (the client read nothing): it resumes on something else, a timer perhaps. Resume only in the "drain" listener.',
  'reads-far-ahead':
    `Something reads far ahead of what can be sent: \`for await (const line of readline)\` reads up to 1024 lines before it pauses the socket. Read the socket yourself, or pause it when write() returns false. ${BACKPRESSURE_HINT}`,
  'pauses-every-socket':
    'The server stopped reading from every client because one could not take its replies: pause only the socket whose write() returned false, and resume only that one on its "drain".',
  'blocks-event-loop':
    'The whole server stopped: something blocks the event loop while one socket cannot be written (a while loop waiting for writableLength or for "drain"). Wait with an event listener instead, and return.',
  'never-resumes': 'The server paused the socket and never resumed it. Call socket.resume() on "drain", when the queued replies have been sent.',
  'drain-listener-per-write':
    'The "drain" listeners pile up: every write() that returns false adds one more, hundreds for one chunk of short lines, and Node warns of a leak. Add it only when you pause: check !socket.isPaused() before socket.pause() and socket.once("drain", ...).',
  // One client's trouble is its own.
  'no-error-listener':
    'No "error" listener on a client socket: Node turns the reset into an uncaught exception that ends the whole server. Add socket.on("error", (err) => console.error(err.code)).',
  'exits-on-client-error': 'An error of one client ended the whole server. Log it and let that connection go; never exit or rethrow from a socket\'s error or write callback.',
  // Ending.
  'never-ends': 'When the client ends ("end" event), end your side with socket.end() once the replies are written. With allowHalfOpen: true Node does not do it for you.',
  'destroys-on-end': 'Replies still queued were thrown away: socket.destroy() on "end" drops them. socket.end() sends them first, then FIN.',
  'answers-unfinished-line':
    'The unfinished last line was answered: only a "\\n" completes a line. On "end", drop what is left in the buffer (readline\'s "line" events hand it over; do not answer it).',
});
