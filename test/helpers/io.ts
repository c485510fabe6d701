import type { Io } from '../../grader/io.ts';

/** An Io that records what a command writes, for in-process CLI tests. */
export function recordingIo(options: { cwd?: string; env?: NodeJS.ProcessEnv; isTTY?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: { write: (text: string) => out.push(text), isTTY: options.isTTY ?? false },
    stderr: { write: (text: string) => err.push(text), isTTY: false },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}
