// The grader's side of lesson 8's protocol, written apart from the solution: encoding requests,
// reading a stream of replies, and naming what is wrong with one.
import { escapeBytes } from '../../net/escape.ts';

export const JSON_TYPE = 'text/json';
export const BINARY_TYPE = 'binary/custom-client-binary-type';
export const MAX_HEADER_BYTES = 4096;
export const MAX_CONTENT_BYTES = 1048576;
export const FIELDS = ['byteorder', 'content-type', 'content-encoding', 'content-length'] as const;

/** The lesson's table (lessons/08-application-protocol.md). */
export const TABLE: Readonly<Record<string, string>> = {
  morpheus: 'Follow the white rabbit. 🐰',
  ring: 'In the caves beneath the Misty Mountains. 💍',
  '🐶': '🐾 Playing ball! 🏐',
  'grüße': 'Grüße aus Köln, 3 € der Kaffee ☕',
};

export function noMatch(value: string): string {
  return `No match for "${value}".`;
}

/** A message from raw parts, so a check can build a hostile one. */
export function rawMessage(header: Buffer | string, content: Buffer | string = Buffer.alloc(0), headerLength?: number): Buffer {
  const headerBytes = Buffer.from(header);
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(headerLength ?? headerBytes.length, 0);
  return Buffer.concat([prefix, headerBytes, Buffer.from(content)]);
}

export function message(contentType: string, content: Buffer, fields: Record<string, unknown> = {}): Buffer {
  const header = {
    byteorder: 'big',
    'content-type': contentType,
    'content-encoding': contentType === JSON_TYPE ? 'utf-8' : 'binary',
    'content-length': content.length,
    ...fields,
  };
  return rawMessage(JSON.stringify(header), content);
}

export function jsonMessage(value: unknown): Buffer {
  return message(JSON_TYPE, Buffer.from(JSON.stringify(value)));
}

export const search = (value: string): Buffer => jsonMessage({ action: 'search', value });

export interface Decoded {
  readonly header: Record<string, unknown>;
  readonly content: Buffer;
  /** Where the message started in the stream, and the stream's bytes from there. */
  readonly at: number;
}

/** What stopped the reading of a stream: a header that is not one of the protocol. */
export interface StreamProblem {
  readonly at: number;
  readonly what: string;
  readonly kind: 'little-endian' | 'not-json' | 'bad-field' | 'too-long';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(utf8.decode(bytes)) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A header length that reads right little-endian: its bytes swapped hold a JSON object. */
function littleEndianAt(data: Buffer, at: number): boolean {
  if (data.length - at < 3) return false;
  const length = data.readUInt16LE(at);
  return data[at + 2] === 0x7b && data.length - at - 2 >= length && parseObject(data.subarray(at + 2, at + 2 + length)) !== undefined;
}

/** Every whole message in `data`, then the bytes after them and what stopped the reading, if anything did. */
export function decodeStream(data: Buffer): { messages: Decoded[]; rest: Buffer; problem?: StreamProblem } {
  const messages: Decoded[] = [];
  let at = 0;
  while (data.length - at >= 2) {
    const length = data.readUInt16BE(at);
    if (length > MAX_HEADER_BYTES || (data.length - at >= 2 + length && data[at + 2] !== 0x7b)) {
      if (littleEndianAt(data, at)) return { messages, rest: data.subarray(at), problem: { at, kind: 'little-endian', what: `a header length of ${length} read big-endian; its bytes ${escapeBytes(data.subarray(at, at + 2), 2)} are ${data.readUInt16LE(at)} little-endian` } };
      if (length > MAX_HEADER_BYTES) return { messages, rest: data.subarray(at), problem: { at, kind: 'too-long', what: `a header length of ${length}, over ${MAX_HEADER_BYTES}` } };
    }
    if (data.length - at < 2 + length) break;
    const header = parseObject(data.subarray(at + 2, at + 2 + length));
    if (!header) return { messages, rest: data.subarray(at), problem: { at, kind: 'not-json', what: `a header that is not a JSON object: ${escapeBytes(data.subarray(at + 2, at + 2 + length), 40)}` } };
    const contentLength = header['content-length'];
    const missing = FIELDS.find((field) => (field === 'content-length' ? !Number.isInteger(contentLength) || (contentLength as number) < 0 : typeof header[field] !== 'string'));
    if (missing) return { messages, rest: data.subarray(at), problem: { at, kind: 'bad-field', what: `a header without a valid "${missing}": ${escapeBytes(data.subarray(at + 2, at + 2 + length), 60)}` } };
    const start = at + 2 + length;
    if (data.length - start < (contentLength as number)) break;
    messages.push({ header, content: data.subarray(start, start + (contentLength as number)), at });
    at = start + (contentLength as number);
  }
  return { messages, rest: data.subarray(at) };
}

/** The content of a text/json message parsed, or undefined. */
export function jsonContent(decoded: Decoded): Record<string, unknown> | undefined {
  return parseObject(decoded.content);
}

/**
 * A JSON content whose "content-length" counted characters: the stream's text from the content
 * on, cut after that many characters (not bytes), is the whole JSON object.
 */
export function countedCharacters(data: Buffer, decoded: Decoded): boolean {
  const start = decoded.content.byteOffset - data.byteOffset;
  const length = decoded.header['content-length'] as number;
  const text = data.subarray(start).toString('utf8');
  if (Buffer.byteLength(text.slice(0, length)) === length) return false;
  try {
    JSON.parse(text.slice(0, length));
    return true;
  } catch {
    return false;
  }
}

export function describeMessage(decoded: Decoded): string {
  const type = String(decoded.header['content-type']);
  const shown = type === JSON_TYPE ? decoded.content.toString('utf8').slice(0, 120) : escapeBytes(decoded.content, 24);
  return `${type}, ${decoded.content.length} bytes: ${shown}`;
}
