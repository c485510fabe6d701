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
  /** On the note that since() puts first: how many events before it were not kept. */
  readonly omitted?: number;
}

const PREVIEW_BYTES = 96;
/** Events kept: the most recent ones, since a failure is shown with what led up to it. */
export const MAX_EVENTS = 5000;
/** Dropped in batches, so keeping the last MAX_EVENTS costs nothing per event. */
const DROP_BATCH = 500;
/** A note longer than this is cut (notes are the grader's own words, but may quote a program). */
export const MAX_NOTE_CHARS = 2000;

/** The first `n` bytes of `data` in a buffer of their own: a view would keep the whole chunk alive. */
function previewOf(data: Uint8Array, n: number): Buffer {
  // allocUnsafeSlow: not a slice of Node's shared pool either (its size differs between versions).
  const copy = Buffer.allocUnsafeSlow(Math.min(n, data.length));
  copy.set(data.subarray(0, copy.length));
  return copy;
}

/**
 * A timestamped log of what went over the wire. Consecutive pieces in the same direction
 * are merged into one line ("received 65536 bytes in 40 pieces"), so megabytes sent one
 * byte at a time still make a short transcript. It is bounded: the last MAX_EVENTS events,
 * each with at most PREVIEW_BYTES of its bytes and MAX_NOTE_CHARS of its text.
 */
export class Transcript {
  private readonly events: TranscriptEvent[] = [];
  /** How many events were recorded before events[0]: the index of events[0] in the whole run. */
  private offset = 0;
  private readonly startedAt: number;
  /** The grading run this transcript belongs to (several scenarios share one run and its budgets). */
  readonly run: object;
  /** Events no longer kept. */
  dropped = 0;
  /** Characters cut from notes. */
  cutChars = 0;

  /** A scenario's transcript within a run: its times count from the run's start. */
  constructor(of?: { readonly run: object; readonly startedAt: number }) {
    this.run = of?.run ?? this;
    this.startedAt = of?.startedAt ?? performance.now();
  }

  /** Events recorded so far, kept or not: since(transcript.length) is what comes next. */
  get length(): number {
    return this.offset + this.events.length;
  }

  /** Events held now. */
  get kept(): number {
    return this.events.length;
  }

  /** Bytes of previews and characters of text held now. */
  get retainedBytes(): number {
    let n = 0;
    for (const event of this.events) n += event.text.length + (event.preview?.length ?? 0);
    return n;
  }

  private push(event: TranscriptEvent): void {
    this.events.push(event);
    if (this.events.length >= MAX_EVENTS + DROP_BATCH) {
      const drop = this.events.length - MAX_EVENTS;
      this.events.splice(0, drop);
      this.offset += drop;
      this.dropped += drop;
    }
  }

  private now(): number {
    return performance.now() - this.startedAt;
  }

  note(actor: string, text: string): void {
    if (text.length > MAX_NOTE_CHARS) {
      this.cutChars += text.length - MAX_NOTE_CHARS;
      text = `${text.slice(0, MAX_NOTE_CHARS)}… (${text.length - MAX_NOTE_CHARS} more characters not kept)`;
    }
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
          ? previewOf(Buffer.concat([last.preview, data.subarray(0, PREVIEW_BYTES - last.preview.length)]), PREVIEW_BYTES)
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
      preview: previewOf(data, PREVIEW_BYTES),
      bytes: data.length,
      pieces: 1,
    });
  }

  /**
   * The events from index `index` (a value of `length` taken earlier) on. When some of them
   * are no longer kept, a first note says how many.
   */
  since(index: number): readonly TranscriptEvent[] {
    const from = Math.max(0, index - this.offset);
    const events = this.events.slice(from);
    const omitted = this.offset - index;
    if (omitted <= 0) return events;
    const marker: TranscriptEvent = {
      atMs: events[0]?.atMs ?? this.now(),
      actor: 'grader',
      kind: 'note',
      text: `${omitted} earlier event${omitted === 1 ? ' was' : 's were'} not kept (the transcript keeps the last ${MAX_EVENTS})`,
      omitted,
    };
    return [marker, ...events];
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
  const omitted = events[0]?.omitted ?? 0;
  const shown = omitted > 0 ? events.slice(1) : events;
  const lines = shown.slice(-maxLines).map(formatEvent);
  const earlier = omitted + Math.max(0, shown.length - maxLines);
  if (earlier > 0) lines.unshift(`… ${earlier} earlier events`);
  return lines;
}
