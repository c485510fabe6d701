// Why the result lines differ from the contract's, from what the server saw: in what order
// it ended the connections, and what each one carried.
import { withFact, type Diagnosis } from '../check.ts';
import type { ManyRun } from './client-run.ts';
import { diagnoses } from './diagnoses.ts';
import { parseLine, shownReply, type PrintedLine } from './messages.ts';

const sorted = (lines: readonly string[]) => [...lines].sort();

export function diagnoseOutput(run: ManyRun, printed: readonly string[], expected: readonly string[]): Diagnosis | undefined {
  const results = printed.filter((line) => parseLine(line));
  const wanted = expected.slice(0, -1);
  if (results.length === wanted.length && sorted(results).join('\n') === sorted(wanted).join('\n') && results.join('\n') !== wanted.join('\n')) {
    const finished = [...run.server.served].filter((record) => record.index !== undefined && record.doneAt !== undefined).sort((a, b) => a.doneAt! - b.doneAt!);
    const order = (numbers: readonly number[]) => numbers.map((n) => `#${n}`).join(', ');
    return withFact(
      diagnoses['completion-order'],
      `It printed ${order(results.map((line) => parseLine(line)!.number))}; the server ended them in the order ${order(finished.map((record) => record.index! + 1))}.`,
    );
  }
  const parsed = results.map((line) => parseLine(line)!);
  if (!parsed.every((line, index) => line.number === index + 1)) return undefined;
  for (const line of parsed) {
    const reply = line.ok ? shownReply(line) : undefined;
    const other = reply === undefined ? -1 : run.messages.indexOf(reply);
    if (other >= 0 && other !== line.number - 1) return withFact(diagnoses['wrong-connection'], `Line #${line.number} shows the reply to message #${other + 1}.`);
  }
  const mixed = parsed.find((line) => carriedOther(run, line));
  if (mixed) return withFact(diagnoses['shared-buffer'], `The server echoed message #${mixed.number} whole on its connection, and the line says ${JSON.stringify(`${mixed.ok ? 'ok' : 'failed'}: ${mixed.rest.slice(0, 60)}`)}.`);
  return undefined;
}

/** The line for a connection the server echoed whole shows other bytes than its message. */
function carriedOther(run: ManyRun, line: PrintedLine): boolean {
  const index = line.number - 1;
  const echoedWhole = run.server.served.some((record) => record.index === index && record.echoed);
  if (!echoedWhole) return false;
  if (line.ok) return shownReply(line) !== run.messages[index];
  const count = /\((\d+)(?: of \d+)? bytes\)/.exec(line.rest);
  return count !== null && Number(count[1]) !== Buffer.byteLength(run.messages[index]!);
}
