// Why a one-client server is still running after its client left, as far as the kernel shows:
// it still listens (server.close() never ran), or it listens no more and something else keeps
// Node's event loop alive.
import { formatDuration } from '../../run/deadline.ts';
import { hasProc } from '../../run/proc.ts';
import type { RunningProgram } from '../../run/program.ts';
import { fail } from '../check.ts';
import { diagnoses } from './diagnoses.ts';
import { boundSockets, hostPort } from '../shared/listening.ts';

export function failStillRunning(server: RunningProgram, waitedMs: number): never {
  const listening = boundSockets(server, 'tcp').map((socket) => hostPort(socket.address, socket.port));
  const diagnosis = !hasProc ? undefined : listening.length > 0 ? diagnoses['still-listening'] : diagnoses['timer-keeps-alive'];
  fail(`${server.label} was still running ${formatDuration(waitedMs)} after its only client closed the connection`, {
    expected: 'exits by itself once its only client is gone',
    actual: hasProc ? `still running, ${listening.length > 0 ? `listening on ${listening.join(', ')}` : 'listening on nothing'}` : 'still running',
    diagnosis,
  });
}
