// Lesson 2's client runs: the grader plays the echo server (reply-server.ts) with a plan of
// pieces and pauses, starts client.ts against it, and waits for it to settle.
import type { TcpPeer } from '../../net/tcp-peer.ts';
import { pollUntil } from '../../run/deadline.ts';
import type { RunningProgram } from '../../run/program.ts';
import { fail, type CheckContext, type Diagnosis } from '../check.ts';
import { hostPort } from '../shared/listening.ts';
import { diagnoses } from './diagnoses.ts';
import { watchFirstOutput, type FirstOutput } from './first-output.ts';
import { showText, splitInside } from './message.ts';
import { playServer, type PlayedServer, type ReplyPlan } from './reply-server.ts';

export const FILE = 'client.ts';
export const DEFAULT_MESSAGE = 'Hello, world';
/** Longer than the fixed wait of a client that sleeps 1 s and prints what came. */
export const LONG_PAUSE_MS = 2000;

/** One run of the client against the server the grader plays. */
export interface ClientRun {
  readonly client: RunningProgram;
  readonly peer: TcpPeer;
  readonly played: PlayedServer;
  readonly output: FirstOutput;
}

/** The echo in pieces of 1 to 3 bytes, with a cut and a pause after the first piece, inside the "ö" and at message.length. */
export function slowEchoPlan(context: CheckContext, message: string): ReplyPlan {
  const random = context.random('pauses');
  return {
    answer: (bytes) => bytes,
    pieceSize: () => random.int(1, 3),
    pauseMs: () => random.int(2, 12),
    stops: [
      // The first "data" event holds only the first piece.
      { at: random.int(1, 3), ms: context.ms(100) },
      // Inside a character, early, and long: a client that prints after a fixed wait prints a cut echo.
      { at: splitInside(message, 'ö'), ms: context.ms(LONG_PAUSE_MS) },
      // Where a client that counts UTF-16 units against bytes stops reading.
      { at: message.length, ms: context.ms(100) },
    ],
  };
}

export function quickPlan(context: CheckContext, purpose: string, answer: (bytes: Buffer) => Buffer): ReplyPlan {
  const random = context.random(purpose);
  return { answer, pieceSize: () => random.int(1, 4), pauseMs: () => random.int(2, 12), stops: [] };
}

/** `exited`: what a client that exits without connecting got wrong in this run, when that is known. */
export async function startClient(context: CheckContext, message: string, plan: ReplyPlan, exited?: Diagnosis): Promise<ClientRun> {
  const played = await playServer(context, plan);
  const where = hostPort(context.host, played.port);
  const client = context.start(FILE, { port: played.port, args: [message] });
  const output = watchFirstOutput(context, client);
  // Stop waiting as soon as the client exits: it will not connect any more.
  const peer = await played.server.accepted(1, context.ms(8000), client.exited);
  if (!peer) {
    const exit = client.exit;
    fail(`${FILE} never connected to ${where}${exit ? ` (it exited with code ${exit.code})` : ''}`, {
      expected: `a connection to ${where}`,
      actual: exit ? `exited; stderr: ${showText(client.stderr.text.trim() || '(empty)')}` : 'no connection',
      diagnosis: exit && exited ? exited : diagnoses['never-connects'],
    });
  }
  return { client, peer, played, output };
}

/** Until the client exits, has printed `expected` after the server closed, or has everything answered but still no FIN after 3 s. */
export async function settle(context: CheckContext, run: ClientRun, expected: string): Promise<void> {
  const { client, peer, played } = run;
  const progress = played.progress;
  const stuck = () => !peer.gotEnd && !progress.pausing && progress.answered >= peer.receivedBytes && Date.now() - progress.lastSentAt > context.ms(3000);
  const settled = () => !client.running || (client.stdout.text === expected && peer.closed) || stuck() || undefined;
  await pollUntil(settled, context.ms(15_000), `${FILE} to print the answer`).catch(() => {});
}

/** The message, then only a line ending. */
export function addsLineEnding(got: Buffer, message: Buffer): boolean {
  const rest = got.subarray(message.length).toString('latin1');
  return got.subarray(0, message.length).equals(message) && /^\r?\n$/.test(rest);
}

export function failNeverHalfClosed(run: ClientRun, expected: string): void {
  if (!run.client.running || run.peer.gotEnd) return;
  const printed = run.client.stdout.text;
  fail(`${FILE} is still waiting and never sent its FIN`, {
    expected: showText(expected),
    actual: printed ? showText(printed) : '(nothing printed yet)',
    diagnosis: diagnoses['never-half-closes'],
  });
}
