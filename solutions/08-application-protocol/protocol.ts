// Lesson 8: the message format, shared by the server and the client.
// A message is a 2-byte big-endian length of a JSON header, the header, then its content.
import os from 'node:os';

/** A header longer than this is hostile or broken: the server refuses it before reading it. */
export const MAX_HEADER_BYTES = 4096;
/** The largest content a message may announce. */
export const MAX_CONTENT_BYTES = 1024 * 1024;
export const JSON_TYPE = 'text/json';
export const BINARY_TYPE = 'binary/custom-client-binary-type';

export interface Header {
  readonly byteorder: string;
  readonly 'content-type': string;
  readonly 'content-encoding': string;
  readonly 'content-length': number;
}

export interface Message {
  readonly header: Header;
  readonly content: Buffer;
}

export type ErrorKind = 'header-too-large' | 'invalid-header' | 'bad-field' | 'unknown-content-type' | 'invalid-content' | 'unknown-action' | 'truncated';

/** A request the server cannot serve; its kind is the "error" of the reply. */
export class ProtocolError extends Error {
  /** The whole messages before the bad one in the same chunk: each still gets its reply, first. */
  messagesBefore: Message[] = [];

  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** One message: the length of the header in bytes (not characters), the header, the content. */
export function encodeMessage(contentType: string, content: Buffer): Buffer {
  // Filled in: content-length counts the bytes that follow, so the reader knows where the message ends.
  const header = Buffer.from(
    JSON.stringify({
      byteorder: os.endianness() === 'LE' ? 'little' : 'big',
      'content-type': contentType,
      'content-encoding': contentType === JSON_TYPE ? 'utf-8' : 'binary',
      'content-length': content.length,
    }),
    'utf8',
  );
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(header.length, 0);
  return Buffer.concat([prefix, header, content]);
}

/** A text/json message holding `value`, encoded as UTF-8. */
export function encodeJson(value: unknown): Buffer {
  return encodeMessage(JSON_TYPE, Buffer.from(JSON.stringify(value), 'utf8'));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes that must be UTF-8 JSON; undefined when they are not. */
export function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(utf8.decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/** The header's fields, each checked; a header that is not one is a ProtocolError. */
function readHeader(bytes: Buffer): Header {
  const header = parseJson(bytes);
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new ProtocolError('invalid-header', 'the header is not a UTF-8 JSON object');
  }
  const fields = header as Record<string, unknown>;
  for (const field of ['byteorder', 'content-type', 'content-encoding']) {
    if (typeof fields[field] !== 'string') throw new ProtocolError('bad-field', `the header has no string "${field}"`);
  }
  const length = fields['content-length'];
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > MAX_CONTENT_BYTES) {
    throw new ProtocolError('bad-field', `"content-length" must be a whole number of bytes from 0 to ${MAX_CONTENT_BYTES}`);
  }
  return fields as unknown as Header;
}

/**
 * Turns the chunks a socket delivers back into whole messages. push() returns the messages a
 * chunk completes and keeps the rest; it throws a ProtocolError when the stream cannot be read
 * any further (the header is too long, not JSON, or lacks a field), with the whole messages the
 * chunk held before the bad one in its messagesBefore.
 */
export class MessageReader {
  // Filled in: what arrived and is not a whole message yet, and the header of the message
  // whose content is awaited (read once, when the header is complete).
  private buffer: Buffer = Buffer.alloc(0);
  private header: Header | undefined;
  private headerSize = 0;

  /** Bytes received that do not make a whole message yet: a header whose content is awaited counts. */
  get pendingBytes(): number {
    return (this.header ? this.headerSize : 0) + this.buffer.length;
  }

  push(chunk: Buffer): Message[] {
    // Filled in: one chunk may end inside the 2-byte length, the header or the content, or hold several messages.
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const messages: Message[] = [];
    try {
      for (;;) {
        if (!this.header) {
          if (this.buffer.length < 2) break;
          const headerBytes = this.buffer.readUInt16BE(0);
          // Refused before waiting for it: a hostile length must not make us buffer 64 KiB.
          if (headerBytes > MAX_HEADER_BYTES) throw new ProtocolError('header-too-large', `the header announces ${headerBytes} bytes, more than ${MAX_HEADER_BYTES}`);
          if (this.buffer.length < 2 + headerBytes) break;
          this.header = readHeader(this.buffer.subarray(2, 2 + headerBytes));
          this.headerSize = 2 + headerBytes;
          this.buffer = this.buffer.subarray(2 + headerBytes);
        }
        const length = this.header['content-length'];
        if (this.buffer.length < length) break;
        messages.push({ header: this.header, content: Buffer.from(this.buffer.subarray(0, length)) });
        this.buffer = this.buffer.subarray(length);
        this.header = undefined;
      }
    } catch (error) {
      // The messages before the bad one were whole: their replies come before the error's.
      if (error instanceof ProtocolError) error.messagesBefore = messages;
      throw error;
    }
    return messages;
  }
}
