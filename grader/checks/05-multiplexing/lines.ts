// Reading a line server's replies from the grader's end: wait for a number of complete
// lines with a deadline, and describe what came back when it is not what was expected.
import { escapeText } from '../../net/escape.ts';
import type { TcpPeer } from '../../net/tcp-peer.ts';

const NEWLINE = 0x0a;

function countNewlines(data: Buffer): number {
  let count = 0;
  for (let at = data.indexOf(NEWLINE); at !== -1; at = data.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/** The replies so far: complete lines without their "\n", and what follows the last "\n". */
function repliesOf(peer: TcpPeer): { lines: string[]; rest: string } {
  const parts = peer.data().toString('latin1').split('\n');
  const rest = parts.pop() ?? '';
  return { lines: parts, rest };
}

/**
 * Waits until `count` complete reply lines arrived, the connection ended, or `ms` passed.
 * Never throws: the check compares what came with what should have.
 */
export async function awaitLines(peer: TcpPeer, count: number, ms: number, waitedFor: string): Promise<{ lines: string[]; rest: string }> {
  let seenBytes = -1;
  let seenLines = 0;
  const enough = () => {
    if (peer.receivedBytes !== seenBytes) {
      seenBytes = peer.receivedBytes;
      seenLines = countNewlines(peer.data());
    }
    return seenLines >= count || peer.gotEnd || peer.closed;
  };
  await peer.until(enough, ms, waitedFor).catch(() => undefined);
  return repliesOf(peer);
}

/** Lines as the learner would read them in a terminal, for expected/actual. */
export function showLines(lines: readonly string[], rest = ''): string {
  const shown = lines.map((line) => escapeText(`${line}\n`, 80));
  if (rest) shown.push(`${escapeText(rest, 80)} (no "\\n" yet)`);
  return shown.length ? shown.join(', ') : '(nothing)';
}

/** `${n} ${line}` for consecutive numbers starting at `first`. */
export function numbered(lines: readonly string[], first = 1): string[] {
  return lines.map((line, index) => `${first + index} ${line}`);
}

/** The number a reply starts with, or undefined when it does not start with "N ". */
export function replyNumber(reply: string): number | undefined {
  const match = /^(\d+) /.exec(reply);
  return match ? Number(match[1]) : undefined;
}

/** Names the usual mistake behind a reply to `line` that is not `${expectedNumber} ${line}`. */
export function diagnoseReply(line: string, expectedNumber: number, reply: string | undefined): string | undefined {
  if (reply === undefined) return undefined;
  if (reply === line) return 'The line came back without its number: reply with `${count} ${line}\\n`, count starting at 1 on every connection.';
  if (reply === `${expectedNumber} ${line}\r`) return 'A "\\r" crept into the reply: answer with "\\n" only.';
  const number = replyNumber(reply);
  if (number === expectedNumber - 1 && reply === `${number} ${line}`) return 'The count starts at 0: the first line of a connection is number 1 (increment before you reply).';
  if (reply.startsWith(`${expectedNumber}${line}`) || reply.startsWith(`${expectedNumber}:`)) return 'Put exactly one space between the number and the line: `${count} ${line}\\n`.';
  return undefined;
}
