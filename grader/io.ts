/** Where a command writes and what it knows of its surroundings; tests pass their own. */
export interface Io {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** The folder the person typed the command in (npm moves cwd to the package root). */
  readonly cwd: string;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.env.INIT_CWD ?? process.cwd() };
}

export function writeLines(stream: Io['stdout'], lines: readonly string[]): void {
  if (lines.length) stream.write(`${lines.join('\n')}\n`);
}
