import fs from 'node:fs';
import path from 'node:path';
import { course } from '../../lessons/course.ts';
import { EXIT } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';
import { defineCommand } from './define.ts';
import { lessonsRoot, repoRoot } from '../paths.ts';
import { buildSite, SiteError, type SiteSources } from '../site/build.ts';

/** `npm run site`: writes the built site; the building itself is buildSite's. */
export const siteCommand = defineCommand({
  invocation: 'npm run site',
  summary: 'Builds every lesson into a static site with pictures. Open DIR/index.html in a browser; it works straight from disk.',
  options: { out: { type: 'string', value: 'DIR', description: 'where the site goes (default: site/)' } },
  run: ({ values }, io) => writeSite(values.out, io),
});

function writeSite(outOption: string | undefined, io: Io): number {
  const values = { out: outOption };
  const out = values.out ? path.resolve(io.cwd, values.out) : path.join(repoRoot, 'site');
  let files;
  try {
    files = buildSite(course, fileSources(lessonsRoot));
  } catch (error) {
    if (!(error instanceof SiteError)) throw error;
    writeLines(io.stderr, [`site: ${error.message}`]);
    return EXIT.fail;
  }
  const refusal = prepareOutput(out, new Set(files.keys()));
  if (refusal) {
    writeLines(io.stderr, [`site: ${refusal}`]);
    return EXIT.usage;
  }
  fs.writeFileSync(path.join(out, MARKER), 'Built by npm run site; everything in this folder is replaced by the next build.\n');
  for (const [file, content] of files) {
    const target = path.join(out, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  const missing = course.filter((lesson) => !fs.existsSync(path.join(lessonsRoot, `${lesson.slug}.md`)));
  writeLines(io.stdout, [
    `Built ${files.size} files into ${path.relative(io.cwd, out) || '.'}: open ${path.relative(io.cwd, path.join(out, 'index.html'))} in a browser.`,
  ]);
  if (missing.length) writeLines(io.stderr, [`site: not written yet, shown as placeholders: ${missing.map((lesson) => `lessons/${lesson.slug}.md`).join(', ')}`]);
  return EXIT.pass;
}

const MARKER = '.course-site';

/**
 * Makes `out` ready for the build. A folder that holds anything else than an earlier build is
 * refused rather than overwritten (--out . must never wipe a checkout); in an earlier build,
 * files the new one does not write (a renamed lesson's page) are removed.
 */
function prepareOutput(out: string, keep: ReadonlySet<string>): string | undefined {
  if (!fs.existsSync(out)) {
    fs.mkdirSync(out, { recursive: true });
    return undefined;
  }
  if (!fs.statSync(out).isDirectory()) return `${out} exists and is not a folder`;
  const entries = fs.readdirSync(out, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  if (entries.length === 0) return undefined;
  if (!fs.existsSync(path.join(out, MARKER))) return `${out} is not empty and was not built by npm run site; choose another --out folder`;
  for (const entry of entries) {
    const relative = path.relative(out, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (relative !== MARKER && !keep.has(relative)) fs.rmSync(path.join(out, relative));
  }
  return undefined;
}

export function fileSources(root: string): SiteSources {
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file) : undefined);
  return {
    readLesson: (slug) => read(path.join(root, `${slug}.md`))?.toString('utf8'),
    readAsset: (relativePath) => read(path.join(root, relativePath)),
  };
}
