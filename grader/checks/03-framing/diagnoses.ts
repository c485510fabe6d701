// Every mistake lesson 3's checks recognise, with the hint aimed at it. Facts of one run (which
// line, how many replies) are put before the hint with withFact.
import { defineDiagnoses } from '../check.ts';

export const diagnoses = defineDiagnoses({
  // The server: its connections.
  'closes-listener-on-connect':
    'The server stopped listening after its first client: server.close() (from lesson 1) does that. Remove it; this server keeps accepting.',
  'stops-accepting': 'The server stopped accepting clients: keep the listening server open and the process running.',
  // The server: its replies.
  'length-counts-header':
    'The length prefix counted its own 4 bytes. In this protocol it holds the length of the payload alone: writeUInt32BE(payload.length), and after reading a length N, the frame is 4 + N bytes.',
  'little-endian-length': 'The reply header holds the length little-endian. The protocol is big-endian ("network order"): writeUInt32BE, readUInt32BE.',
  'not-reversed': 'The payload came back in its original order: reverse the bytes (Buffer.from(payload).reverse()).',
  'decodes-payload-as-text':
    'The reply holds EF BF BD, the UTF-8 replacement character: the payload was turned into a string (toString, setEncoding, string concatenation) and back. Frames carry bytes: keep Buffers from socket to reply.',
  'answers-partial-payload':
    'You answered with only the part of the payload that had arrived. Wait until 4 + length bytes are buffered before answering.',
  'answers-first-frame-only':
    'Only the first frame of the chunk was answered. A chunk can hold many frames: loop while a whole frame is buffered, and keep the leftover (the start of the next frame) instead of dropping it.',
  'reads-partial-prefix':
    'Your server crashed reading the length: a chunk can end inside the 4-byte prefix, and readUInt32BE needs all 4 bytes. Keep the bytes in a buffer and read the length only once it holds at least 4.',
  'loses-partial-prefix':
    'The replies went wrong once a length prefix arrived in pieces. Read the length only once 4 bytes are buffered, and keep a partial prefix for the next chunk.',
  'skips-empty-frame':
    'An empty frame (length 0) got no reply. It is a whole frame as soon as its 4 header bytes are there: check buffer.length >= 4 + length, not > 4, and do not skip empty payloads.',
  // The server: how connections end.
  'destroys-with-replies-queued':
    'The socket was destroyed while replies were still queued in it. socket.destroy() drops them, and so does a `for await (const chunk of socket)` loop, which destroys the socket when it ends. Call socket.end() (with socket.iterator({ destroyOnReturn: false }) if you loop with for await).',
  'writes-after-auto-end':
    'Replies were refused after the client ended (the server logged EPIPE or ERR_STREAM_WRITE_AFTER_END): with the default allowHalfOpen: false, Node ends your side right after "end", so a reply written after an await or a timer has nowhere to go. Create the server with net.createServer({ allowHalfOpen: true }, …) and call socket.end() yourself once the last reply is written.',
  'never-ends-connection': 'With allowHalfOpen: true, Node leaves your side open after the client ends. Handle "end" with socket.end().',
  'shares-one-buffer':
    'The replies are wrong only when two clients send at once: their bytes were mixed. Keep the buffer (or decoder) inside the connection callback, one per socket.',
  'no-error-listener':
    'The server crashed when a client reset its connection (ECONNRESET): with no "error" listener on the accepted socket, Node throws the error and every client loses the server. Add socket.on("error", ...) inside the connection callback.',
  'for-await-uncaught-reset':
    "The server crashed when a client reset its connection (ECONNRESET): the reset rejected a promise that nothing catches; a for await loop over the socket throws the socket's error. Wrap the loop in try/catch, log the error and let that one connection go.",
  'dies-of-reset':
    'The server died when a client reset its connection (ECONNRESET). A reset is an error on that one socket: handle it (an "error" listener, a try/catch around a for await loop) and keep serving the others.',
  // The server: a length above the limit.
  'ends-instead-of-destroy':
    'After a length above the limit the stream is out of step: every later byte would be read as more frames. socket.end() only sends your FIN and keeps reading what the client sends; socket.destroy() stops reading, and the kernel answers anything more with a reset.',
  'waits-for-oversized-payload':
    'A length prefix above MAX_FRAME_BYTES (64 MiB) was taken at its word: the server waits for a payload that will never come, and text typed into nc ("hell" is 1,751,477,356) would make it wait for 1.75 GB. Check the length as soon as its 4 bytes are read, and close that connection if it is above the limit.',
  'exits-on-oversized-frame':
    'The server died when one client sent a length above the limit: an error thrown by the decoder that nothing catches (or a process.exit) ends every client\'s server. Catch it in that connection\'s handler, log one line and destroy that socket only.',
  'closes-other-connections':
    'One client sent a length above the limit, and the server closed other clients\' connections too. The mistake is that one connection\'s: destroy that socket only.',
  'stops-listening-on-oversized':
    'After closing a connection for its length the server stopped accepting new ones: server.close() closes the listener, not the connection. Call destroy() on that socket and leave the server listening.',
  'refusal-names-no-client':
    'Whoever runs the server reads that line to find who sent the bad frame, among many clients: name the client in it, `${socket.remoteAddress}:${socket.remotePort}` (read them when the connection is accepted; after destroy() they are gone).',
  'rejects-frame-of-max':
    'A frame of exactly MAX_FRAME_BYTES was refused: the limit is inclusive. Refuse a length only when it is greater than MAX_FRAME_BYTES (>, not >=).',
  'silent-oversized-close':
    'The connection was closed without a word: whoever runs the server cannot tell a protocol error from a network failure. Write one line to stderr (console.error) naming the client, the length it sent and the limit.',
  // The client: what it sends.
  'client-never-connects':
    'Connect to the PORT and HOST from the environment: net.connect(Number(process.env.PORT ?? 65432), process.env.HOST ?? "127.0.0.1").',
  'frame-includes-newline': 'The frame includes the newline. Send the line without it: readline gives lines without "\\n".',
  'trims-lines':
    'It was trimmed before it was sent. A message is every byte of the line but the newline; send it as readline gives it, without trim().',
  'length-in-characters': 'The length prefix counts bytes: Buffer.from(line) first, then its .length.',
  'drops-unterminated-last-line':
    'Every line was sent but the last, which had no newline after it (stdin ended right after it, as `printf \'a\\nb\'` or a file without a final newline does). It is a line all the same: when stdin ends, send what is left unfinished, if anything (readline does this for you).',
  'frame-for-empty-stdin': 'An empty stdin has no lines, not one empty line: send a frame only for each line readline gives you.',
  // The client: what it prints.
  'computes-reply':
    'The client computed the answer instead of printing the reply. Print the bytes of each reply frame as they came over the wire.',
  'exits-before-last-reply':
    'A fixed wait (or a destroy) after stdin ends loses slow replies: end the connection once every line\'s reply is printed, however long that takes.',
  'stops-reading-replies': 'Keep handling "data" for the whole connection, and after each reply look for the next one in what is buffered.',
  'prints-chunks':
    'Printing what one "data" event brought prints pieces of replies, or several run together. Print a reply once its 4 + length bytes are buffered, and loop for the next.',
  // The client: how it ends.
  'client-never-ends': 'Nothing ends the connection for you: once stdin is done and every reply is printed, call socket.end().',
  'ends-only-on-reply':
    'With no lines there is no reply to wait for, so a client that ends the connection only from its reply handler waits forever. When stdin ends, check too: if every line sent has its reply, call socket.end() there.',
  'checks-end-only-on-reply':
    'Every reply had arrived before stdin ended, and then nothing ended the connection: the client checks "all replies in?" only when a reply arrives. Check when stdin ends too, and call socket.end() if every line already has its reply.',
  'exits-zero-when-cut-short':
    'The conversation was cut short. When the connection ends ("end") with fewer replies than lines sent, or with bytes of an unfinished frame still buffered, print an error line on stderr (console.error) and set process.exitCode = 1.',
  'client-waits-for-oversized-reply':
    'The server sent a reply length above MAX_FRAME_BYTES and your client kept waiting (or swallowed the decoder\'s error and carried on). No payload that long is coming: print an error line on stderr, set process.exitCode = 1, destroy the socket and close readline, so the process ends.',
  'client-throws-on-oversized-reply':
    'The decoder\'s error for a reply length above the limit went uncaught: a stack trace is not an error message. Catch it in the "data" handler, print one line on stderr, set process.exitCode = 1 and close the socket and readline.',
  'throws-when-cut-short':
    'Report a truncated conversation with console.error and process.exitCode = 1, not by throwing: a stack trace is not an error message.',
});
