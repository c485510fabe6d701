import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The course repository's root folder. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const exercisesRoot = path.join(repoRoot, 'exercises');
export const solutionsRoot = path.join(repoRoot, 'solutions');
export const lessonsRoot = path.join(repoRoot, 'lessons');
