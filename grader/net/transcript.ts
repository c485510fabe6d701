import { escapeBytes } from './escape.ts';

export type EventKind = 'sent' | 'received' | 'note';

export interface TranscriptEvent {
  /** Milliseconds since the grading run started. */
  readonly atMs: number;
  readonly actor: string;
  readonly kind: EventKind;
  readonly text: string;
  /** For sent/received: the bytes, first `PREVIEW_BYTES` of them, and how many there were in all. */
  readonly preview?: Buffer;
  readonly bytes?: number;
  readonly pieces?: number;
}

const PREVIEW_BYTES = 96;
const MAX_EVENTS = 5000;

/**
 * A timestamped log of what went over the wire. Consecutive pieces in the same direction
 * are merged into one line ("received 65536 bytes in 40 pieces"), so megabytes sent one
 * byte at a time still make a short transcript.
 */
export class Transcript {
  private readonly events: TranscriptEvent[] = [];
  private readonly startedAt = performance.now();
  dropped = 0;

  get length(): number {
    return this.events.length;
  }

  private push(event: TranscriptEvent): void {
    if (this.events.length >= MAX_EVENTS) {
      this.dropped++;
      return;
    }
    this.events.push(event);
  }

  private now(): number {
    return performance.now() - this.startedAt;
  }

  note(actor: string, text: string): void {
    this.push({ atMs: this.now(), actor, kind: 'note', text });
  }

  sent(actor: string, data: Uint8Array): void {
    this.data(actor, 'sent', data);
  }

  received(actor: string, data: Uint8Array): void {
    this.data(actor, 'received', data);
  }

  private data(actor: string, kind: 'sent' | 'received', data: Uint8Array): void {
    const last = this.events.at(-1);
    if (last && last.actor === actor && last.kind === kind && last.preview && last.bytes !== undefined) {
      const preview =
        last.preview.length < PREVIEW_BYTES
          ? Buffer.concat([last.preview, Buffer.from(data).subarray(0, PREVIEW_BYTES - last.preview.length)])
          : last.preview;
      this.events[this.events.length - 1] = {
        ...last,
        preview,
        bytes: last.bytes + data.length,
        pieces: (last.pieces ?? 1) + 1,
      };
      return;
    }
    this.push({
      atMs: this.now(),
      actor,
      kind,
      text: '',
      preview: Buffer.from(data).subarray(0, PREVIEW_BYTES),
      bytes: data.length,
      pieces: 1,
    });
  }

  since(index: number): readonly TranscriptEvent[] {
    return this.events.slice(index);
  }
}

export function formatEvent(event: TranscriptEvent): string {
  const at = `+${(event.atMs / 1000).toFixed(3)}s`;
  if (event.kind === 'note') return `${at} ${event.actor}: ${event.text}`;
  const bytes = event.bytes ?? 0;
  const pieces = (event.pieces ?? 1) > 1 ? ` in ${event.pieces} pieces` : '';
  const preview = event.preview ?? Buffer.alloc(0);
  const more = bytes > preview.length ? `… (+${bytes - preview.length} bytes)` : '';
  return `${at} ${event.actor}: ${event.kind} ${bytes} byte${bytes === 1 ? '' : 's'}${pieces}: ${escapeBytes(preview, preview.length)}${more}`;
}

/** The last `maxLines` events as text, saying how many earlier ones were left out. */
export function formatTranscript(events: readonly TranscriptEvent[], maxLines = 30): string[] {
  const lines = events.slice(-maxLines).map(formatEvent);
  if (events.length > maxLines) lines.unshift(`… ${events.length - maxLines} earlier events`);
  return lines;
}
