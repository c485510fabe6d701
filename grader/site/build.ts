// The whole course as a static site, built in memory: a map from relative path to content.
// Pure apart from the two readers it is given, so tests build it without touching site/.
import path from 'node:path';
import type { Lesson } from '../../lessons/course.ts';
import { exerciseMarkdown } from '../render/exercise.ts';
import { renderMarkdown } from './markdown.ts';
import { indexPage, lessonPage, pageFileOf } from './pages.ts';
import { stylesheet } from './style.ts';

export type SiteFiles = Map<string, string | Uint8Array>;

export interface SiteSources {
  /** A lesson's markdown (lessons/<slug>.md), or undefined while it is not written. */
  readonly readLesson: (slug: string) => string | undefined;
  /** A file a lesson refers to, relative to lessons/ ("pictures/udp.svg"), or undefined if absent. */
  readonly readAsset: (relativePath: string) => Uint8Array | undefined;
}

/** Something in the lessons that would make a broken page: reported instead of built. */
export class SiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SiteError';
  }
}

export function buildSite(course: readonly Lesson[], sources: SiteSources): SiteFiles {
  const files: SiteFiles = new Map();
  files.set('index.html', indexPage(course));
  files.set('style.css', stylesheet);
  const pageOf = (markdownFile: string) => {
    const lesson = course.find((candidate) => `${candidate.slug}.md` === markdownFile);
    return lesson ? pageFileOf(lesson) : undefined;
  };

  course.forEach((lesson, index) => {
    const text = sources.readLesson(lesson.slug);
    const rendered = renderMarkdown(`${text ?? ''}\n\n${exerciseMarkdown(lesson)}`, pageOf);
    for (const picture of rendered.pictures) files.set(picture, pictureOf(lesson, picture, sources));
    files.set(
      pageFileOf(lesson),
      lessonPage({ lesson, total: course.length, previous: course[index - 1], next: course[index + 1], body: rendered.html, written: text !== undefined }),
    );
  });
  return files;
}

function pictureOf(lesson: Lesson, source: string, sources: SiteSources): Uint8Array {
  const where = `lessons/${lesson.slug}.md`;
  const normal = path.posix.normalize(source);
  if (!normal.startsWith('pictures/') || normal !== source) {
    throw new SiteError(`${where}: the picture "${source}" must be a file in lessons/pictures/, written as pictures/NAME.svg`);
  }
  const content = sources.readAsset(source);
  if (!content) throw new SiteError(`${where}: the picture "${source}" does not exist (looked for lessons/${source})`);
  return content;
}
