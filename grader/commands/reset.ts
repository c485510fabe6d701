import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { findLesson, lessonFiles } from '../../lessons/course.ts';
import { EXIT, UsageError } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';
import { defineCommand } from './define.ts';
import { repoRoot } from '../paths.ts';
import { resolveSource } from '../source.ts';

/** The course's own version of a stub, from git: the given ref, else the upstream branch, else HEAD. */
async function pristineStub(relativePath: string, ref: string | undefined): Promise<string> {
  const refs = ref ? [ref] : ['origin/HEAD', 'origin/main', 'HEAD'];
  for (const candidate of refs) {
    const shown = await execa('git', ['show', `${candidate}:${relativePath}`], { cwd: repoRoot, reject: false, stripFinalNewline: false });
    if (shown.exitCode === 0) return shown.stdout;
  }
  throw new UsageError(`cannot find the original ${relativePath} in git (tried ${refs.join(', ')}); pass --from REF`);
}

/** Backups sit beside the graded folder: exercises/ → .backups/ at the repository root. */
export function backupPath(root: string, slug: string, file: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return path.join(path.dirname(root), '.backups', slug, `${stamp}-${file}`);
}

/** Copies the learner's file to a new backup before it is overwritten; returns the backup's path. */
export function backUp(root: string, slug: string, file: string, now: Date): string {
  const backup = backupPath(root, slug, file, now);
  fs.mkdirSync(path.dirname(backup), { recursive: true });
  fs.copyFileSync(path.join(root, slug, file), backup);
  return backup;
}

/** `npm run reset lesson-3`: restores the stubs, after saving the learner's files to a backup it names. */
export const resetCommand = defineCommand({
  invocation: 'npm run reset',
  summary: "Restores a lesson's stubs; your files are saved to .backups/ first, and the path is printed.",
  positionals: { usage: 'lesson-N', min: 1, max: 1 },
  options: {
    from: { type: 'string', value: 'REF', description: 'the git ref to take the stubs from (default: origin/HEAD, origin/main, then HEAD)' },
    dir: { type: 'string', value: 'PATH', description: 'reset another copy laid out like exercises/' },
  },
  run: ({ values, positionals }, io) => resetLesson(values, positionals[0]!, io),
});

async function resetLesson(values: { from?: string; dir?: string }, name: string, io: Io): Promise<number> {
  const lesson = findLesson(name);
  const { root } = resolveSource({ dir: values.dir }, io.cwd);
  const now = new Date();
  const lines: string[] = [];
  for (const file of lessonFiles(lesson)) {
    const target = path.join(root, lesson.slug, file);
    const stub = await pristineStub(`exercises/${lesson.slug}/${file}`, values.from);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    if (current === stub) {
      lines.push(`${path.relative(io.cwd, target)}: already the original stub`);
      continue;
    }
    if (current !== undefined) {
      const backup = backUp(root, lesson.slug, file, now);
      lines.push(`${path.relative(io.cwd, target)}: your version is saved as ${path.relative(io.cwd, backup)}`);
    }
    fs.writeFileSync(target, stub);
    lines.push(`${path.relative(io.cwd, target)}: restored the original stub`);
  }
  writeLines(io.stdout, lines);
  return EXIT.pass;
}
