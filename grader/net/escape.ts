/** Bytes as a double-quoted string in which \r, \n, \t and every non-printable byte are visible. */
export function escapeBytes(bytes: Uint8Array, maxBytes = 64): string {
  let out = '';
  const shown = Math.min(bytes.length, maxBytes);
  for (let i = 0; i < shown; i++) {
    const b = bytes[i]!;
    if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  const rest = bytes.length - shown;
  return `"${out}"${rest > 0 ? `… (+${rest} bytes)` : ''}`;
}

/** Text as it went over the wire, escaped the same way. */
export function escapeText(text: string, maxBytes = 200): string {
  return escapeBytes(Buffer.from(text, 'utf8'), maxBytes);
}

/** Index of the first differing byte, or -1 when equal. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
