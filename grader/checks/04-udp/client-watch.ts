// Watching a learner's UDP client from the grader's side: every datagram it sends is
// seen, so a client that hangs is caught by its silence (it must retransmit at least
// once a second while it waits) long before an overall deadline.
import { afterReading } from '../../run/deadline.ts';
import type { ExitInfo, RunningProgram } from '../../run/program.ts';

export interface ClientSend {
  readonly text: string;
  /** performance.now() when the grader read it. */
  readonly at: number;
}

export type Ending =
  | { readonly kind: 'exited'; readonly exit: ExitInfo }
  /** Nothing at all arrived from the client. */
  | { readonly kind: 'never-sent'; readonly waitedMs: number }
  /** It sent, then nothing for `silentMs` while still running. */
  | { readonly kind: 'stalled'; readonly silentMs: number }
  | { readonly kind: 'deadline'; readonly waitedMs: number }
  /** `rule` returned a complaint: the client broke it, and the run was cut short. */
  | { readonly kind: 'broke-rule'; readonly complaint: string };

export interface WatchOptions {
  readonly program: RunningProgram;
  /** Registers a callback for every datagram from the client. */
  readonly onSend: (listener: (send: ClientSend) => void) => void;
  readonly firstSendMs: number;
  readonly stallMs: number;
  /** The silence allowed after this send, where the client's next step is known to be sooner (its give-up). */
  readonly stallMsAfter?: (sends: readonly ClientSend[]) => number | undefined;
  readonly deadlineMs: number;
  /** Checked after every datagram; a string ends the watch. */
  readonly rule?: (sends: readonly ClientSend[]) => string | undefined;
  /** A safety net against a client that floods: the watch ends after this many datagrams. */
  readonly maxSends?: number;
}

export interface WatchedRun {
  readonly sends: readonly ClientSend[];
  readonly ending: Promise<Ending>;
}

export function watchClient(options: WatchOptions): WatchedRun {
  const { program, firstSendMs, stallMs, stallMsAfter, deadlineMs, rule, maxSends = 1000 } = options;
  const sends: ClientSend[] = [];
  let finish!: (ending: Ending) => void;
  let finished = false;
  const ending = new Promise<Ending>((resolve) => (finish = resolve));
  const end = (value: Ending) => {
    if (finished) return;
    finished = true;
    clearTimeout(silence);
    clearTimeout(deadline);
    finish(value);
  };
  // Exit wins over silence: a client that printed and exited is judged on what it did.
  const unlessExited = (value: Ending) => (program.exit ? end({ kind: 'exited', exit: program.exit }) : end(value));
  // The datagrams that came in time are read before a timer's verdict (afterReading).
  let silence = afterReading(firstSendMs, () => unlessExited({ kind: 'never-sent', waitedMs: firstSendMs }));
  const deadline = afterReading(deadlineMs, () => unlessExited({ kind: 'deadline', waitedMs: deadlineMs }));
  void program.exited.then((exit) => end({ kind: 'exited', exit }));
  options.onSend((send) => {
    if (finished) return;
    sends.push(send);
    clearTimeout(silence);
    const silentMs = stallMsAfter?.(sends) ?? stallMs;
    silence = afterReading(silentMs, () => unlessExited({ kind: 'stalled', silentMs }));
    const complaint = sends.length > maxSends ? `${program.label} sent more than ${maxSends} datagrams` : rule?.(sends);
    if (complaint) end({ kind: 'broke-rule', complaint });
  });
  return { sends, ending };
}

/** How often each text was sent, in order of first appearance. */
export function sendCounts(sends: readonly ClientSend[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { text } of sends) counts.set(text, (counts.get(text) ?? 0) + 1);
  return counts;
}
