// The HTML around the content: one layout, the index, a lesson page, the pager.
import type { Lesson } from '../../lessons/course.ts';
import { gradeCommandOf } from '../render/exercise.ts';
import { escapeHtml } from './markdown.ts';

export const COURSE_TITLE = 'Socket programming in TypeScript on Node.js';

export function pageFileOf(lesson: Lesson): string {
  return `${lesson.slug}.html`;
}

export function layout(title: string, pager: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="style.css">
</head>
<body>
<header class="site"><a href="index.html">${escapeHtml(COURSE_TITLE)}</a></header>
${pager}
<main>
${main}
</main>
${pager.replace('aria-label="Lessons"', 'aria-label="Lessons, again"')}
</body>
</html>
`;
}

/** Index, previous and next, on every page. */
export function pager(previous: Lesson | undefined, next: Lesson | undefined, onIndex = false): string {
  const links = [onIndex ? '<span aria-current="page">Index</span>' : '<a href="index.html">Index</a>'];
  if (previous) links.push(`<a rel="prev" href="${pageFileOf(previous)}">← ${previous.number}. ${escapeHtml(previous.title)}</a>`);
  if (next) links.push(`<a rel="next" href="${pageFileOf(next)}">${next.number}. ${escapeHtml(next.title)} →</a>`);
  return `<nav class="pager" aria-label="Lessons">${links.join('\n')}</nav>`;
}

export function indexPage(course: readonly Lesson[]): string {
  const items = course
    .map(
      (lesson) => `<li data-lesson="${lesson.number}">
<span class="number">${lesson.number}</span>
<div><a class="title" href="${pageFileOf(lesson)}">${escapeHtml(lesson.title)}</a>
<p>${escapeHtml(lesson.summary)}</p></div>
</li>`,
    )
    .join('\n');
  const first = course[0];
  const main = `<h1>${escapeHtml(COURSE_TITLE)}</h1>
<p>Each lesson explains one idea of socket programming, in Node's terms, and asks you to write a small program that the grader then tests on a real connection.</p>
<ol class="lessons">
${items}
</ol>
<h2 id="how-to-work">How to work</h2>
<ol>
<li>Read a lesson here, or in the terminal with <code>npm run lesson 1</code>.</li>
<li>Write its programs in <code>exercises/</code>, where each lesson has a folder with a file to fill in.</li>
<li>Run <code>${first ? gradeCommandOf(first) : 'npm run grade lesson-1'}</code> until every check passes; <code>npm run hint lesson-1</code> shows one hint at a time.</li>
</ol>`;
  return layout(COURSE_TITLE, pager(undefined, first, true), main);
}

export interface LessonPageParts {
  readonly lesson: Lesson;
  readonly total: number;
  readonly previous: Lesson | undefined;
  readonly next: Lesson | undefined;
  /** The lesson's text and its exercise section, as HTML. */
  readonly body: string;
  readonly written: boolean;
}

export function lessonPage({ lesson, total, previous, next, body, written }: LessonPageParts): string {
  const heading = `<h1 id="top">Lesson ${lesson.number}: ${escapeHtml(lesson.title)}</h1>`;
  const glance = `<p class="glance">You write ${lesson.programs.map((program) => `<code>${escapeHtml(program.file)}</code>`).join(', ')} · <a href="#your-exercise">your exercise</a> · check with <code>${gradeCommandOf(lesson)}</code></p>`;
  const missing = written ? '' : '<p class="missing">The text of this lesson is not written yet.</p>\n';
  // The lesson's own first heading is its title; otherwise the course's title stands in.
  const hasTitle = /^<h1[ >]/.test(body.trimStart());
  const content = hasTitle ? body.replace(/<\/h1>/, `</h1>\n${glance}`) : `${heading}\n${glance}\n${missing}${body}`;
  return layout(
    `${lesson.number}. ${lesson.title} · ${COURSE_TITLE}`,
    pager(previous, next),
    `<p class="position">Lesson ${lesson.number} of ${total}</p>\n${content}`,
  );
}
