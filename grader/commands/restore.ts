import fs from 'node:fs';
import path from 'node:path';
import { findLesson, lessonFiles, type Lesson } from '../../lessons/course.ts';
import { EXIT, UsageError } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';
import { resolveSource } from '../source.ts';
import { defineCommand } from './define.ts';
import { backUp, backupPath } from './reset.ts';

/** The backups `reset` made of one lesson file, newest first (their names start with an ISO time). */
export function backupsOf(root: string, lesson: Lesson, file: string): string[] {
  const folder = path.dirname(backupPath(root, lesson.slug, file));
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .filter((name) => name.endsWith(`-${file}`))
    .sort()
    .reverse()
    .map((name) => path.join(folder, name));
}

/** `npm run restore lesson-3`: undoes `reset`, bringing back the newest backup of each file; what it replaces is backed up too. */
export const restoreCommand = defineCommand({
  invocation: 'npm run restore',
  summary: "Brings back your files that npm run reset saved to .backups/ (the newest, or --backup FILE); the files it replaces are saved first, so restore can be undone too.",
  positionals: { usage: 'lesson-N', min: 1, max: 1 },
  options: {
    backup: { type: 'string', value: 'FILE', description: 'restore this backup (one of the paths reset printed) instead of the newest' },
    dir: { type: 'string', value: 'PATH', description: 'restore into another copy laid out like exercises/' },
  },
  run: ({ values, positionals }, io) => restoreLesson(values, positionals[0]!, io),
});

async function restoreLesson(values: { backup?: string; dir?: string }, name: string, io: Io): Promise<number> {
  const lesson = findLesson(name);
  const { root } = resolveSource({ dir: values.dir }, io.cwd);
  const chosen = values.backup === undefined ? undefined : path.resolve(io.cwd, values.backup);
  const plan = lessonFiles(lesson).flatMap((file) => {
    const backups = backupsOf(root, lesson, file);
    const from = chosen ? backups.find((backup) => backup === chosen) : backups[0];
    return from ? [{ file, from }] : [];
  });
  if (chosen && plan.length === 0) throw new UsageError(`--backup ${values.backup}: not a backup of lesson ${lesson.number} (they are in ${path.relative(io.cwd, path.dirname(backupPath(root, lesson.slug, 'x')))})`);
  if (plan.length === 0) throw new UsageError(`lesson ${lesson.number} has no backups to restore: npm run reset makes them`);
  const now = new Date();
  const lines: string[] = [];
  for (const { file, from } of plan) {
    const target = path.join(root, lesson.slug, file);
    const restored = fs.readFileSync(from);
    if (fs.existsSync(target)) {
      if (fs.readFileSync(target).equals(restored)) {
        lines.push(`${path.relative(io.cwd, target)}: already the same as ${path.relative(io.cwd, from)}`);
        continue;
      }
      const backup = backUp(root, lesson.slug, file, now);
      lines.push(`${path.relative(io.cwd, target)}: the version it replaces is saved as ${path.relative(io.cwd, backup)}`);
    }
    fs.writeFileSync(target, restored);
    lines.push(`${path.relative(io.cwd, target)}: restored from ${path.relative(io.cwd, from)}`);
  }
  writeLines(io.stdout, lines);
  return EXIT.pass;
}
