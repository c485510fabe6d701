// Which copy of the programs is graded: the learner's exercises/, the reference
// solutions/, or a student's copy laid out like exercises/.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.ts';
import { exercisesRoot, solutionsRoot } from './paths.ts';

export interface Source {
  readonly root: string;
  /** The arguments that select it again, for the repro command. */
  readonly args: readonly string[];
  readonly isLearnerCopy: boolean;
}

export function resolveSource(options: { solution?: boolean; dir?: string }, cwd: string): Source {
  if (options.solution && options.dir) throw new UsageError('use --solution or --dir, not both');
  if (options.solution) return { root: solutionsRoot, args: ['--solution'], isLearnerCopy: false };
  if (options.dir !== undefined) {
    const root = path.resolve(cwd, options.dir);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`--dir ${options.dir}: no such folder`);
    return { root, args: ['--dir', root], isLearnerCopy: false };
  }
  // Tests point this at a copy of the stubs, so a learner's solved exercises/ cannot change them.
  return { root: process.env.SOCKETS_COURSE_EXERCISES ?? exercisesRoot, args: [], isLearnerCopy: true };
}

export function parseSeed(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) > 0xffffffff) throw new UsageError(`--seed ${raw}: expected a whole number from 0 to 4294967295`);
  return Number(raw);
}
