// One run of lesson 7's client: the grader plays the server (many-server.ts) and starts
// client.ts with one argument per connection.
import { escapeText } from '../../net/escape.ts';
import { pollUntil, scaled } from '../../run/deadline.ts';
import type { ExitInfo, RunningProgram } from '../../run/program.ts';
import { fail, type CheckContext, type Diagnosis } from '../check.ts';
import { exitWithin, outputLines } from '../shared/exit.ts';
import { playManyServer, type Answer, type ManyServer } from './many-server.ts';
import { brief, summaryLine, okLine } from './messages.ts';

export const FILE = 'client.ts';

export interface ManyRun {
  readonly client: RunningProgram;
  readonly server: ManyServer;
  readonly messages: readonly string[];
}

/** `via`: the port the client is given, when the grader puts something between it and the server. */
export async function startMany(context: CheckContext, purpose: string, messages: readonly string[], answers: readonly Answer[], via?: (server: ManyServer) => Promise<number>): Promise<ManyRun> {
  const server = await playManyServer(context, purpose, messages, answers);
  const port = via ? await via(server) : server.port;
  const client = context.start(FILE, { port, args: messages });
  return { client, server, messages };
}

const SUMMARY = /^\d+ of \d+ connections succeeded$/m;

/**
 * Until the client printed its summary or exited, or `ms`; then a moment for a line printed
 * after the summary. Resolves to when the summary was seen (undefined if it was not).
 */
export async function untilSummary(run: ManyRun, ms: number): Promise<number | undefined> {
  const printed = () => SUMMARY.test(run.client.stdout.text);
  await pollUntil(() => (printed() || run.client.exit ? true : undefined), ms, `${FILE} to print its summary`).catch(() => {});
  const seenAt = printed() ? Date.now() : undefined;
  await exitWithin(run.client, scaled(50));
  return seenAt;
}

/** The client's exit, if it comes within `ms` of its summary (seen at `printedAt`; from now if never). */
export async function exitAfterSummary(run: ManyRun, printedAt: number | undefined, ms: number): Promise<ExitInfo | undefined> {
  return exitWithin(run.client, Math.max(0, (printedAt ?? Date.now()) + ms - Date.now()));
}

export const printedLines = (run: ManyRun): string[] => outputLines(run.client.stdout.text);

/** What every connection succeeding looks like. */
export function allOk(messages: readonly string[]): string[] {
  return [...messages.map((message, index) => okLine(index, message)), summaryLine(messages.length, messages.length)];
}

export function showLines(lines: readonly string[]): string {
  return lines.length ? lines.map((line) => escapeText(brief(line, 90))).join('\n') : '(nothing on stdout)';
}

/** A client that exited before any connection names why, from its stderr. */
export function failIfNeverConnected(run: ManyRun, diagnosis: Diagnosis): void {
  if (run.server.served.length > 0) return;
  const exit = run.client.exit;
  fail(`${FILE} never connected${exit ? ` (it exited with code ${exit.code})` : ''}`, {
    expected: `${run.messages.length} connections, one per argument`,
    actual: exit ? `no connection; stderr: ${(run.client.stderr.text.trim() ? escapeText(run.client.stderr.text.trim()) : '(empty)')}` : 'no connection',
    diagnosis,
  });
}
