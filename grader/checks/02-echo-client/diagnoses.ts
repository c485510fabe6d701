// Every mistake lesson 2's checks recognise, with the hint aimed at it.
import { defineDiagnoses } from '../check.ts';

export const diagnoses = defineDiagnoses({
  'never-connects':
    'It never connected to the HOST and PORT the grader gave. Connect to the PORT and HOST from the environment: net.connect(Number(process.env.PORT ?? 65432), process.env.HOST ?? "127.0.0.1").',
  'sends-nothing': 'Nothing arrived: write the message once connected, e.g. socket.end(message).',
  'adds-newline': 'The message arrived with a line ending added. Send the first command-line argument (process.argv[2]) as it is: no newline, no quotes.',
  'never-half-closes':
    'The echo server only closes after the client has finished sending. Use socket.end(message) (or call end() after write) so it knows you are done, then print on "end".',
  'prints-on-idle-timer':
    'The echo was printed well after its last byte, while the connection was still open: a timer (socket.setTimeout, a setTimeout restarted on "data") decided it was over. Half-close with socket.end(message); the server then closes once it has echoed everything, and "end" tells you the echo is complete.',
  'prints-every-chunk': 'Print once, with the whole message, not once per chunk.',
  'prints-after-fixed-wait':
    'Nothing arrived during that pause: neither a "data" event nor the server\'s close prompted it, so a timer or a fixed wait did. Only "end" says the echo is complete.',
  'counts-utf16-units':
    'That is message.length: the length in UTF-16 code units, not bytes. Count with Buffer.byteLength(message), or read until "end".',
  'prints-first-chunk': 'You printed after the first "data" event, which held only part of the echo. Append each chunk and print on "end".',
  'prints-part': 'Collect every chunk and print once, on "end", when the server has closed.',
  'decodes-each-chunk':
    'U+FFFD (the replacement character) stands where a character was split between two chunks: each chunk was decoded on its own (chunk.toString(), string +=, a TextDecoder without { stream: true }). Keep the Buffers, Buffer.concat() them and decode once at the end (or socket.setEncoding("utf8"), which carries a split character over).',
  'prints-own-message':
    'It printed the message it sent, not the bytes that came back: this server swapped the case of every ASCII letter. Print what you received (Buffer.concat of the chunks), never your own argument.',
  'empty-not-sent':
    'Given an explicit empty message (""), it exited without connecting, although it connects for other messages. "" is a message too, an empty one: connect and send it (no bytes, then FIN).',
  'empty-becomes-default':
    "It sent the default message: the explicit \"\" was taken for a missing argument. process.argv[2] || 'Hello, world' (or a test like if (!message)) treats \"\" as absent; process.argv[2] ?? 'Hello, world' uses the default only when there is no argument.",
  'empty-never-half-closes':
    'With nothing to write, the server still waits for your FIN before it closes: call socket.end() whatever the message (socket.end("") sends FIN).',
  'empty-echo-not-printed':
    'The server sent nothing back and closed: that is an empty echo. Print "Received: " followed by it, as for any other, on "end".',
  'error-exits-zero': 'Printing the error is not enough: a script running your client sees success. Set process.exitCode = 1 in the "error" handler.',
  'no-error-listener':
    'Without an "error" listener, Node throws the error: the stack trace and exit code 1 come from Node. Add socket.on("error", …) and print err.code in one line.',
  'prints-stack':
    'console.error(err) prints the whole Error with its stack. Print one line built from err.code and HOST:PORT: console.error(`cannot connect to ${HOST}:${PORT}: ${err.code}`).',
  'error-not-on-stderr': 'Print the failure with console.error in the socket\'s "error" listener: stderr is where a user (and a script) looks for it.',
  'error-names-neither':
    'The line names neither the error code nor the address: a user cannot tell what failed or where. Build it from both: console.error(`cannot connect to ${HOST}:${PORT}: ${err.code}`).',
  'error-names-no-address':
    'The line says why but not where: add HOST:PORT, so the user sees which server was tried, e.g. `cannot connect to ${HOST}:${PORT}: ${err.code}`.',
  'error-names-no-code':
    'The line says where but not why: add err.code (ECONNREFUSED here), the reason the kernel gave. A sentence of your own may say what it means, but the code is what a user can look up.',
  'success-after-refused':
    'A success line after a refused connect comes from a handler that runs on failure too: "close" fires after "error" (with hadError = true), and a finally or a catch-all runs either way. Print in "end", which comes only when a connection that was made is closed by the server.',
});
