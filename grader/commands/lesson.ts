import type { Io } from '../io.ts';

// Being written.
export async function lessonCommand(_argv: readonly string[], io: Io): Promise<number> {
  io.stderr.write('not written yet\n');
  return 3;
}
