// One question of `npm run observe` asked and judged: the prompt, the answer line, and the
// verdict by the kernel's view at the moment of the answer, or, when the socket is gone by then
// (a TIME-WAIT ends after 60 s), by the last view seen while waiting.
import type { Io } from '../io.ts';
import { writeLines } from '../io.ts';
import { formatDuration, scaled } from '../run/deadline.ts';
import type { AnswerReader } from './answers.ts';
import type { KernelView, Question } from './question.ts';

/** How long one answer may take before the run stops. */
export const ANSWER_MS = 10 * 60_000;

export async function ask(question: Question, index: number, count: number, reader: AnswerReader, io: Io, answerMs = scaled(ANSWER_MS), tickMs = 500): Promise<'right' | 'wrong' | 'closed'> {
  await question.prepare?.();
  writeLines(io.stdout, ['', `Question ${index + 1} of ${count} (${question.id})`, ...question.prompt()]);
  io.stdout.write('> ');
  // Watch the kernel while waiting, so a socket that goes away (a TIME-WAIT ends after 60 s)
  // is judged by what the kernel last showed.
  let last: { view: KernelView; at: Date } | undefined;
  const watch = () => {
    const view = question.view();
    if (view) last = { view, at: new Date() };
  };
  watch();
  const answer = await reader.next(answerMs, `an answer to question ${index + 1} (${formatDuration(answerMs)} at most)`, watch, tickMs);
  if ('closed' in answer) return 'closed';
  const now = question.view();
  const view = now ?? last?.view;
  const lines: string[] = [];
  if (!view) {
    lines.push(`✗ cannot check "${answer.line}": the kernel shows no such socket any more`);
  } else {
    const right = view.accepts(answer.line);
    lines.push(right ? `✓ right: ${answer.line}` : `✗ wrong: you answered "${answer.line}"`);
    lines.push(now ? 'The kernel shows (/proc/net/tcp):' : `The kernel no longer shows it; at ${last!.at.toISOString().slice(11, 19)} UTC it showed (/proc/net/tcp):`);
    lines.push(...view.shows.map((line) => `  ${line}`));
    lines.push(`Seen with: ${question.command}`);
    writeLines(io.stdout, lines);
    return right ? 'right' : 'wrong';
  }
  writeLines(io.stdout, lines);
  return 'wrong';
}
