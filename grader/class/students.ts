// Which folders of a class folder are students. A submission is whatever a stranger uploaded, so
// a student "folder" may be a symlink to somewhere else on the instructor's machine (their home,
// another student): it is listed apart for the caller to report, never graded, never followed.
import fs from 'node:fs';
import { escapeControl } from '../report/text.ts';

export interface StudentFolders {
  /** Real directories, sorted; names starting with '.' are left out. */
  readonly students: string[];
  /** Symlinks, to a folder or anything else, sorted. */
  readonly symlinked: string[];
}

export function listStudents(classDir: string): StudentFolders {
  const students: string[] = [];
  const symlinked: string[] = [];
  // Dirent types come from lstat: a symlink reports as a symlink, not as what it points to.
  for (const entry of fs.readdirSync(classDir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isSymbolicLink()) symlinked.push(entry.name);
    else if (entry.isDirectory()) students.push(entry.name);
  }
  return { students: students.sort(), symlinked: symlinked.sort() };
}

/** A student's folder name as it may be printed: a name holding "\n" or ESC cannot forge a line. */
export function displayName(name: string): string {
  return escapeControl(name);
}
