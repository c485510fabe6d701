// Writes a report so that a reader sees the old file or the new one, never half of either, and
// so that a symlink planted at the path (by whoever could write to that folder) is replaced
// rather than written through: renaming over a path replaces the link itself, never its target.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  // 'wx' is O_CREAT | O_EXCL: it fails on any existing name, a symlink included, so the
  // temporary file is always a new one of ours.
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, 'wx');
  try {
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncFolder(dir);
}

/** The rename itself lasts a crash only once the folder is synced; not every platform can. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open a folder; the file's own data is already synced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
