// Lesson 6: the program ends by itself soon after its last answer; if it does not, which of its
// sockets (per the grader's servers or the kernel's table) it left open, or else what else.
import type { GraderServer } from '../../net/tcp-server.ts';
import { formatDuration } from '../../run/deadline.ts';
import { describeExit } from '../../run/program.ts';
import { fail, withFact, type CheckContext, type Diagnosis } from '../check.ts';
import { exitWithin } from '../shared/exit.ts';
import { EXIT_MS } from './contract.ts';
import { diagnoses } from './diagnoses.ts';
import { FILE, FILE_ARGS, type Run } from './run.ts';
import type { SocketWatch } from './socket-watch.ts';

/** A socket the program left open: in words for "actual", and the diagnosis. */
export interface LeftOpen {
  readonly actual: string;
  readonly diagnosis: Diagnosis;
}

/** Finds a socket the program left open, looking when asked. */
export type LeftOpenFinder = () => LeftOpen | undefined | Promise<LeftOpen | undefined>;

export function connectionLeftOpen(server: GraderServer): () => LeftOpen | undefined {
  return () => {
    const open = server.peers.filter((peer) => !peer.gotEnd && !peer.closed);
    if (!open.length) return undefined;
    return {
      actual: `its connection to port ${server.port} still open`,
      diagnosis: withFact(diagnoses['connection-left-open'], `Its connection to port ${server.port} is still open.`),
    };
  };
}

export function connectLeftTrying(port: number, watch: SocketWatch): LeftOpenFinder {
  return async () => {
    if (!(await watch.lookNow())) return undefined;
    return {
      actual: `its socket to port ${port} still in SYN-SENT (still connecting)`,
      diagnosis: withFact(diagnoses['timeout-leaves-socket'], `It printed "${port} timeout" but left that socket open.`),
    };
  };
}

/** The first of these servers with a connection from the program still open. */
export function anyLeftOpen(servers: Iterable<GraderServer>): () => LeftOpen | undefined {
  return () => {
    for (const server of servers) {
      const open = connectionLeftOpen(server)();
      if (open) return open;
    }
    return undefined;
  };
}

/** Fails unless the program ended within EXIT_MS of its last line. `leftOpen` names a socket it left open, if it did. */
/**
 * `graderSpokeAt`: when the grader's own server last wrote to the program (a greeting). The time
 * allowed counts from it when it came after the last line: a greeting the grader was slow to send
 * under load is not the program's delay.
 */
export async function expectExitAfterAnswers(context: CheckContext, run: Run, leftOpen?: LeftOpenFinder, graderSpokeAt?: () => number | undefined): Promise<void> {
  const { program } = run;
  const limit = context.ms(EXIT_MS);
  const lastLineAt = run.lineSeenAt.at(-1) ?? Date.now();
  const since = () => Math.max(lastLineAt, graderSpokeAt?.() ?? 0);
  // A timer counts from the event loop's cached clock and may fire a little before Date.now() says it is due.
  while (program.running && Date.now() < since() + limit) await exitWithin(program, since() + limit - Date.now());
  const endedAt = program.running ? undefined : (run.exitedAt ?? Date.now());
  const after = (endedAt ?? Date.now()) - lastLineAt;
  if (endedAt !== undefined && endedAt - since() <= limit) return;
  const open = endedAt === undefined ? await leftOpen?.() : undefined;
  fail(`${FILE} ${FILE_ARGS(run).slice(0, 60)} printed every answer but was still running ${formatDuration(after)} later: close every socket and let the program end`, {
    expected: `the process gone within ${formatDuration(limit)} of its last line`,
    actual: endedAt === undefined ? `still running${open ? `, ${open.actual}` : ''}` : `${describeExit(program.exit!)} ${formatDuration(after)} after its last line`,
    diagnosis: open?.diagnosis ?? diagnoses['something-keeps-alive'],
  });
}
