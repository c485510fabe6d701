// The stubs as the course ships them, from git, so a test of "the untouched stub fails" holds
// in a checkout where the learner has solved, half-solved or rewritten any exercise.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exercisesRoot, repoRoot } from '../../grader/paths.ts';

// The learner's own commits may change exercises/ on HEAD; the upstream branch has the stubs.
const REFS = ['origin/HEAD', 'origin/main', 'HEAD'];

function git(args: readonly string[]): string {
  return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

let root: string | undefined;

/** A folder laid out like exercises/ holding the committed stubs (exercises/ itself outside git). */
export function pristineExercisesRoot(): string {
  if (root) return root;
  for (const ref of REFS) {
    let files: string[];
    try {
      files = git(['ls-tree', '-r', '--name-only', ref, '--', 'exercises/']).split('\n').filter(Boolean);
    } catch {
      continue;
    }
    if (files.length === 0) continue;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pristine-stubs-'));
    for (const file of files) {
      const target = path.join(dir, path.relative('exercises', file));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, execFileSync('git', ['show', `${ref}:${file}`], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] }));
    }
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    root = dir;
    return dir;
  }
  root = exercisesRoot; // not a git checkout: the files as they are
  return root;
}
