// How a class run isolates its gradings. With the sandbox (the default on Linux), every grading
// runs in a network namespace of its own (root: `unshare --net`, only `lo`, brought up), so no
// student can reach a classmate's server or a classmate's grader, and the grader boxes each
// program (run/sandbox.ts). Without it (--trust) programs run as the instructor: said on screen
// and in every report row.
import fs from 'node:fs';
import { UsageError } from '../errors.ts';
import { sandboxSupport, type SandboxSupport } from '../run/sandbox.ts';

export interface ClassIsolation {
  /** For the report's header and every row: "bubblewrap, uid 65534, own network" or "none (--trust)". */
  readonly description: string;
  readonly sandboxed: boolean;
  /** The command that runs one child grader: `argv` wrapped as this isolation needs. */
  wrap(argv: readonly string[]): readonly string[];
}

const ipTool = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((file) => fs.existsSync(file));
const unshareTool = ['/usr/bin/unshare', '/bin/unshare'].find((file) => fs.existsSync(file));

function ownNetworkPossible(): boolean {
  return process.getuid?.() === 0 && ipTool !== undefined && unshareTool !== undefined;
}

export function classIsolation(trust: boolean, support: SandboxSupport = sandboxSupport()): ClassIsolation {
  if (trust) return { description: 'none (--trust: programs ran as the instructor)', sandboxed: false, wrap: (argv) => argv };
  if (!support.ok) {
    throw new UsageError(`the sandbox is not available: ${support.reason}. Grade untrusted code on a Linux machine with bubblewrap, or pass --trust to run it unsandboxed`);
  }
  if (!ownNetworkPossible()) {
    return { description: `${support.description}, shared loopback (not root: no network namespace)`, sandboxed: true, wrap: (argv) => argv };
  }
  return {
    description: `${support.description}, own network namespace`,
    sandboxed: true,
    wrap: (argv) => [unshareTool!, '--net', '--', '/bin/sh', '-c', `${ipTool} link set lo up && exec "$@"`, 'sh', ...argv],
  };
}
