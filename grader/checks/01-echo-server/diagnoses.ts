// Every mistake lesson 1's checks recognise, with the hint aimed at it.
import { defineDiagnoses } from '../check.ts';

export const diagnoses = defineDiagnoses({
  'exits-with-own-code':
    'Exit code 0 means it went well, and it did: the client was served. A non-zero code (process.exit(1), process.exitCode = 1) tells a shell or CI that the server failed. Let the process end by itself once nothing is left open.',
  'prints-fixed-address':
    'The port was the client\'s but the address was not: the grader\'s client connects from a loopback address of its own, not always 127.0.0.1. Print socket.remoteAddress, which the accepted socket knows, never an address you typed.',
  'prints-own-address':
    "The address printed is the server's own (localAddress, or HOST:PORT). The client is on the other end: socket.remoteAddress and socket.remotePort.",
  'closes-listener-late':
    'The server still listened while its first client was connected, so it served a second one. Call server.close() as soon as the first client connects (in the connection callback), not later (on its first data, its end or its close): until then every new client is accepted.',
  'drops-extra-clients':
    "The listening socket was still open: the second client's handshake completed, and only then was the connection closed (server.maxConnections and destroying extra sockets both work this way). Call server.close() when the first client connects, so a second connect is refused.",
  'leaves-extra-clients-waiting':
    'The listening socket was still open, so the kernel took the second connection even though nothing served it. Call server.close() when the first client connects, so a second connect is refused.',
  'decodes-as-text':
    'Bytes came back as EF BF BD, the UTF-8 "replacement character": the data was decoded as text (toString() or setEncoding) and re-encoded. Write back the Buffer you received.',
  'newline-per-chunk': 'Extra newline bytes came back: something adds "\\n" to each chunk (console.log-style or `${chunk}\\n`). Echo the bytes exactly.',
  'echoes-part': 'Fewer bytes came back than were sent: every "data" chunk must be written back, not only the first one.',
  'closes-without-echo': 'Keep the connection open and echo every "data" chunk until the client ends.',
  'destroys-on-end':
    'The socket was torn down while bytes were still queued for the client: socket.destroy() or resetAndDestroy() on "end" drops them, and so do process.exit() (the process is gone before they are sent) and a for await (const chunk of socket) loop, which destroys the socket when it ends. socket.end() flushes them first, then sends FIN; with for await, loop over socket.iterator({ destroyOnReturn: false }) and call socket.end() after the loop.',
  'still-listening': 'It still listens: the listening socket keeps the process alive. Call server.close() when the client connects.',
  'timer-keeps-alive':
    "It no longer listens and its client is gone, yet it is still running: something else keeps Node's event loop alive, such as a setTimeout or setInterval never cleared. Clear it (clearTimeout) once a client connects, or unref() it.",
  'detached-child': 'A child process started with detached: true outlives the server (and keeps any socket it was given). The echo server needs no child process.',
  'no-error-listener':
    'The reset reached the socket as an "error" event with no listener, and Node threw it. Add socket.on("error", (err) => console.error(err.code)): the socket is closed after the event either way, and the server survives.',
});
