// A flood of short lines: each write holds a 64 KiB block of 64-byte lines, so one "data"
// event at the server holds about a thousand lines. A server that adds a "drain" listener
// for every write() that returns false, not once per pause, piles up hundreds of them on
// one socket, and Node warns about it on stderr (MaxListenersExceededWarning).
import { Flooder, FLOOD_LINE_BYTES } from './flood.ts';

export const SHORT_LINE_BYTES = 64;

export class ShortLineFlooder extends Flooder {
  /** Block i: FLOOD_LINE_BYTES / SHORT_LINE_BYTES lines "short i.j xxx…\n". */
  override line(i: number): Buffer {
    const block = Buffer.alloc(FLOOD_LINE_BYTES, 'x');
    for (let j = 0; j < FLOOD_LINE_BYTES / SHORT_LINE_BYTES; j++) {
      const at = j * SHORT_LINE_BYTES;
      block.write(`short ${i}.${j} `, at, 'latin1');
      block[at + SHORT_LINE_BYTES - 1] = 0x0a;
    }
    return block;
  }
}

/** The warning Node prints when a socket has more "drain" listeners than its limit (10). */
export function drainListenerWarning(stderr: string): string | undefined {
  return stderr.split('\n').find((line) => /MaxListenersExceededWarning/.test(line) && /drain/.test(line));
}
