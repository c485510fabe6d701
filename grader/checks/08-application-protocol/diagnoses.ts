// Every mistake lesson 8's checks recognise, with the hint aimed at it.
import { defineDiagnoses } from '../check.ts';

export const diagnoses = defineDiagnoses({
  // The server: well-formed requests.
  'little-endian-header-length':
    'The 2-byte header length came little-endian. The protocol fixes it big-endian ("network order") whatever the machine or the "byteorder" field says: writeUInt16BE and readUInt16BE.',
  'content-length-in-characters':
    '"content-length" counted characters, not bytes: "🐰".length is 2 and "é".length 1, but they are 4 and 2 bytes in UTF-8. Encode first (Buffer.from(text)), then take .length, or use Buffer.byteLength(text).',
  'assumes-whole-message':
    'A request that arrives in pieces went unanswered or wrong. Any part (the 2-byte length, the JSON header, the content) can end a "data" event: keep what arrived per connection and read a part only once all its bytes are buffered.',
  'answers-first-request-only':
    'Only the first request of a write was answered. A chunk can hold several messages: after one, keep the bytes after it and loop while another whole message is buffered.',
  'decodes-binary-as-text':
    'The reply holds EF BF BD, the UTF-8 replacement character: binary content was turned into a string and back. Keep binary content a Buffer from socket to reply; only text/json content is decoded.',
  'shares-one-buffer':
    "Two clients' bytes were mixed: the buffer (or reader) is shared by every connection. Make it inside the connection callback, one per socket.",
  'header-limit-exclusive': 'A header of exactly 4096 bytes was refused: the limit is "at most 4096", so it includes 4096. Refuse the header length only when it is greater than 4096 (>, not >=).',
  'content-limit-exclusive': 'Content of exactly 1048576 bytes was refused: content-length may be anything from 0 to 1048576, both included. Refuse it only when it is greater than 1048576 (>, not >=).',
  'inherited-table-keys':
    'A search for "constructor" found something: TABLE[value] also finds what every object inherits (constructor, toString, __proto__). Look up only the table\'s own keys, with Object.hasOwn(TABLE, value) (or keep the table in a Map), and answer No match otherwise.',
  'drops-replies-before-error':
    'A whole request came in the same chunk as a bad header after it, and got no reply: the reader threw for the bad header and the messages it had already read were lost. Each whole request gets its reply, in order: hand the messages read before the error to the server with it (the ProtocolError\'s messagesBefore) and answer them before the error reply.',
  // The server: hostile input.
  'trusts-header-length':
    'The server waited for a 61440-byte header. Check the 2-byte length against the maximum (4096) as soon as it is in, and answer "header-too-large" at once: a hostile length must not make a server buffer what it announces.',
  'crashes-on-invalid-header':
    'The server crashed on a header that is not JSON: JSON.parse throws. Parse inside try/catch, answer "invalid-header", and end that one connection.',
  'crashes-on-invalid-content':
    'The server crashed on text/json content that is not JSON. The content comes from the client like the header does: parse it inside try/catch and answer "invalid-content"; the connection goes on.',
  'accepts-bad-field':
    'A header with a field missing or of the wrong type was not refused with "bad-field". Check every field: "byteorder", "content-type" and "content-encoding" strings, "content-length" an integer from 0 to 1048576.',
  'trusts-content-length':
    'The server waited for the content of a header whose "content-length" is over 1048576. Compare content-length with the maximum as soon as the header is in, and answer "bad-field" at once: a client must not make a server hold memory for content that may never come.',
  'accepts-impossible-content-length':
    'A "content-length" that no content can have (a fraction like 1.5, or below 0) was not refused with "bad-field": the server waited for it, or read a message of that length and lost its place in the stream. Check Number.isInteger(length) and length >= 0, not only typeof length === "number".',
  'accepts-non-object-header':
    'A header that is JSON but not an object (null, or an array) was not refused with "invalid-header": the server crashed reading a field of null, or answered something else. typeof null is "object" too: check typeof header === "object" && header !== null && !Array.isArray(header) before reading a field.',
  'accepts-invalid-utf8-header':
    'A header holding a byte that is not UTF-8 (FF) was read as JSON. buffer.toString("utf8") turns such bytes into U+FFFD instead of failing: decode with new TextDecoder("utf-8", { fatal: true }) inside the try, and answer "invalid-header".',
  'ends-on-recoverable-error':
    'The connection ended after an error the stream survives. An unknown content type or action still has a valid header and content-length, so the next message is where it says: reply with the error and keep reading.',
  'ignores-action':
    'A request whose action is not "search" was answered as a search. Check the action, and answer any other with "unknown-action".',
  'silent-on-truncation':
    'The client ended the connection in the middle of a message and got no "truncated" reply. On "end", if bytes of an unfinished message are buffered, send the error reply before ending.',
  'truncated-after-header':
    'The client ended right after a whole header that announced content, and got no "truncated": the header was taken out of the buffer, so nothing looked unfinished. A header whose content is still awaited is part of an unfinished message: count it when the connection ends.',
  'reply-after-clean-end':
    'The client ended the connection right after a whole request, and the server sent something after its reply (such as {"error": "truncated"}). A clean end, with no byte of a message left over, gets nothing more: only the end of the connection.',
  'stops-accepting':
    'The server stopped accepting new clients (after a malformed request, or once a client ended): never close the listening server; a bad request concerns its own connection only.',
  'closes-other-clients':
    "Another client's connection was closed when one client sent a bad header. A malformed request concerns its own connection only: end that one, never the listening server or the other sockets.",
  // The client.
  'client-length-in-characters':
    '"content-length" (or the header length) counted characters, not bytes. Encode the JSON first (Buffer.from(JSON.stringify(...))), then take .length.',
  'prints-before-whole-content':
    'The client printed (or parsed) the reply before all of its "content-length" bytes had arrived. Buffer until 2 + header length + content-length bytes are in, then decode once, whole.',
  'client-decodes-binary-as-text':
    'The bytes written to stdout are not the reply\'s content: it was decoded as text (toString, console.log, setEncoding). Write binary content with process.stdout.write(buffer).',
  'exits-zero-on-error-reply':
    'The reply was an error ({"error": ...}) and the client exited 0. Print the error kind on stderr and set process.exitCode = 1.',
  'exits-zero-when-cut-short':
    'The server ended the connection before a whole reply, and the client exited 0 (or printed a part). On "end" without a whole reply, print an error line on stderr and set process.exitCode = 1.',
});
