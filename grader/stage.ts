// Every grading runs a copy of the learner's lesson folder, staged in a fresh temporary folder
// beside a package.json that makes it an ES module: exercises/, solutions/ and a --dir copy
// anywhere on disk then run exactly alike, and nothing a program writes to its own folder
// (a Unix socket file, a log) lands in the learner's copy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from './errors.ts';

/** More than this in one lesson folder is not a lesson: refuse rather than copy it. */
const STAGE_LIMIT_BYTES = 16 * 1024 * 1024;
const SKIPPED = new Set(['node_modules', '.git']);

export interface Stage {
  /** The staged copy of the lesson folder; programs run here. */
  readonly lessonDir: string;
  /** The folder that holds the staged lesson and its package.json. */
  readonly root: string;
  /** Where the staged programs are compiled to: server.ts becomes server.mjs there. */
  readonly buildDir: string;
  /** Rewrites staged paths in a program's output back to the learner's own. */
  toLearnerPaths(text: string): string;
  remove(): void;
}

function copyTree(from: string, to: string, budget: { bytes: number }): void {
  fs.mkdirSync(to, { mode: 0o755 });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      copyTree(source, target, budget);
    } else if (entry.isFile()) {
      budget.bytes -= fs.statSync(source).size;
      if (budget.bytes < 0) throw new UsageError(`${from} holds more than ${STAGE_LIMIT_BYTES / 1024 / 1024} MB: a lesson folder holds only its programs`);
      fs.copyFileSync(source, target);
      // Readable by the sandbox's unprivileged uid whatever the learner's own modes were.
      fs.chmodSync(target, 0o644);
    }
    // Symlinks, sockets and devices are not copied: a lesson is made of regular files.
  }
}

export function stageLesson(lessonDir: string): Stage {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sockets-course-'));
  fs.chmodSync(root, 0o755);
  const staged = path.join(root, path.basename(lessonDir));
  try {
    copyTree(lessonDir, staged, { bytes: STAGE_LIMIT_BYTES });
    fs.writeFileSync(path.join(root, 'package.json'), `${JSON.stringify({ private: true, type: 'module' })}\n`, { mode: 0o644 });
  } catch (error) {
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const fromUrl = `file://${staged}`;
  const toUrl = `file://${lessonDir}`;
  const buildDir = path.join(root, '.build');
  // A program that prints its own path (import.meta.url, process.argv[1]) names its compiled copy.
  const compiled = new RegExp(`${buildDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([\\w.-]+)\\.mjs`, 'g');
  return {
    lessonDir: staged,
    root,
    buildDir,
    toLearnerPaths: (text) => text.replace(compiled, (_, name: string) => `${staged}/${name}.ts`).split(fromUrl).join(toUrl).split(staged).join(lessonDir),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
