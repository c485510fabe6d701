// What a class run's child grader tells its parent, one JSON object per line on stdout: that a
// lesson started (its time limit runs from then), and each lesson's result or why it has none.
import type { JsonResult } from '../report/json.ts';

export type ChildEvent =
  | { readonly started: string }
  | { readonly result: JsonResult }
  | { readonly broke: string; readonly message: string };

export const encodeEvent = (event: ChildEvent): string => `${JSON.stringify(event)}\n`;

/** The event on one line of the child's output, or undefined when the line is not one. */
export function parseEvent(line: string): ChildEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const event = value as Record<string, unknown>;
  if (typeof event.started === 'string') return { started: event.started };
  if (typeof event.result === 'object' && event.result !== null) return { result: event.result as JsonResult };
  if (typeof event.broke === 'string' && typeof event.message === 'string') return { broke: event.broke, message: event.message };
  return undefined;
}
