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
  // TODO: build the header object (byteorder from os.endianness(), content-type, content-encoding
  // "utf-8" for text/json and "binary" otherwise, content-length), encode it as UTF-8 JSON, and
  // return its 2-byte big-endian length, the header and the content as one Buffer.
  void os;
  void contentType;
  return content;
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

/**
 * Turns the chunks a socket delivers back into whole messages. push() returns the messages a
 * chunk completes and keeps the rest; it throws a ProtocolError when the stream cannot be read
 * any further (the header is too long, not JSON, or lacks a field), with the whole messages the
 * chunk held before the bad one in its messagesBefore.
 */
export class MessageReader {
  // TODO: keep what arrived and is not a whole message yet, and the header of the message whose
  // content is awaited.

  /** Bytes received that do not make a whole message yet: a header whose content is awaited counts. */
  get pendingBytes(): number {
    // TODO: how many bytes of an unfinished message have arrived, counting a header already read
    // whose content has not come yet (the server's "truncated" depends on it).
    return 0;
  }

  push(chunk: Buffer): Message[] {
    // TODO: append the chunk; then, while a whole part is buffered: the 2-byte length (refuse more
    // than MAX_HEADER_BYTES at once), the header (a JSON object whose four fields are checked:
    // "header-too-large", "invalid-header", "bad-field"), then content-length bytes of content.
    // A chunk may end inside any part, or hold several messages.
    void chunk;
    void MAX_CONTENT_BYTES;
    return [];
  }
}
