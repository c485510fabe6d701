// The static site: built in memory for what the pages must say, then written by the real
// command into a temporary folder and opened in headless Chromium, served from loopback and
// straight from disk.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { course } from '../lessons/course.ts';
import { fileSources, siteCommand } from '../grader/commands/site.ts';
import type { Io } from '../grader/io.ts';
import { lessonsRoot } from '../grader/paths.ts';
import { buildSite, SiteError, type SiteSources } from '../grader/site/build.ts';
import { pageFileOf } from '../grader/site/pages.ts';

// Debian's chromium; CHROMIUM_PATH points elsewhere (another distribution, or a test of the skip).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasBrowser = fs.existsSync(CHROMIUM);
const pages = ['index.html', ...course.map(pageFileOf)];

function text(file: string | Uint8Array | undefined): string {
  return typeof file === 'string' ? file : Buffer.from(file ?? new Uint8Array()).toString('utf8');
}

function fakeSources(lessons: Record<string, string>, assets: Record<string, string> = {}): SiteSources {
  return {
    readLesson: (slug) => lessons[slug],
    readAsset: (file) => (assets[file] === undefined ? undefined : Buffer.from(assets[file]!)),
  };
}

describe('buildSite', () => {
  const first = course[0]!;
  const second = course[1]!;

  it('writes an index, a stylesheet and one page per lesson', () => {
    const files = buildSite(course, fakeSources({}));
    expect([...files.keys()].sort()).toEqual(['style.css', ...pages].sort());
  });

  it('lists the lessons on the index in the course order, with their summaries', () => {
    const index = text(buildSite(course, fakeSources({})).get('index.html'));
    const numbers = [...index.matchAll(/<li data-lesson="(\d+)">/g)].map((match) => Number(match[1]));
    expect(numbers).toEqual(course.map((lesson) => lesson.number));
    for (const lesson of course) expect(index).toContain(`href="${pageFileOf(lesson)}"`);
    expect(index).toContain(first.summary.replace(/"/g, '&quot;').slice(0, 20));
  });

  it('shows each lesson page its programs, grade command and hint command', () => {
    const page = text(buildSite(course, fakeSources({})).get(pageFileOf(second)));
    for (const program of second.programs) expect(page).toContain(program.file);
    expect(page).toContain(`npm run grade lesson-${second.number}`);
    expect(page).toContain(`npm run hint lesson-${second.number}`);
    expect(page).toContain('id="your-exercise"');
  });

  it('links index, previous and next on every lesson page', () => {
    const files = buildSite(course, fakeSources({}));
    course.forEach((lesson, index) => {
      const page = text(files.get(pageFileOf(lesson)));
      expect(page).toContain('href="index.html"');
      const previous = course[index - 1];
      const next = course[index + 1];
      if (previous) expect(page).toContain(`rel="prev" href="${pageFileOf(previous)}"`);
      if (next) expect(page).toContain(`rel="next" href="${pageFileOf(next)}"`);
    });
  });

  it('uses only relative addresses for its own files, so it works opened from disk', () => {
    const files = buildSite(course, fileSources(lessonsRoot));
    for (const [file, content] of files) {
      if (!file.endsWith('.html')) continue;
      for (const match of text(content).matchAll(/\b(?:src|href)="([^"]*)"/g)) {
        const target = match[1]!;
        if (/^https?:\/\/(?!127\.|localhost)/.test(target) && match[0].startsWith('href')) continue; // links out of the site
        expect(target, `${file}: ${match[0]}`).not.toMatch(/^(?:\/|[a-z]+:\/\/)/);
      }
    }
  });

  it('points a link to another lesson file at its page, and keeps its anchor', () => {
    const files = buildSite(course, fakeSources({ [first.slug]: `See [the client](${second.slug}.md#connect).` }));
    expect(text(files.get(pageFileOf(first)))).toContain(`<a href="${second.slug}.html#connect">the client</a>`);
  });

  it('shows a link to a repository file as its path instead of a dead link', () => {
    const files = buildSite(course, fakeSources({ [first.slug]: `Open [the stub](../exercises/${first.slug}/server.ts).` }));
    const page = text(files.get(pageFileOf(first)));
    expect(page).not.toContain('href="../exercises');
    expect(page).toContain(`<code>../exercises/${first.slug}/server.ts</code>`);
  });

  it('highlights TypeScript and labels code that is wrong on purpose', () => {
    const files = buildSite(course, fakeSources({ [first.slug]: "```ts\nconst a = 'x';\n```\n\n```ts wrong\nlet b = 1;\n```\n" }));
    const page = text(files.get(pageFileOf(first)));
    expect(page).toContain('<span class="hljs-keyword">const</span>');
    expect(page).toMatch(/<div class="code-wrong"><p class="code-label">Wrong on purpose<\/p>/);
  });

  it('copies the pictures a lesson shows', () => {
    const files = buildSite(course, fakeSources({ [first.slug]: '![A picture](pictures/a.svg)' }, { 'pictures/a.svg': '<svg/>' }));
    expect(text(files.get('pictures/a.svg'))).toBe('<svg/>');
    expect(text(files.get(pageFileOf(first)))).toContain('<p class="picture"><a class="picture-link" href="pictures/a.svg"><img src="pictures/a.svg" alt="A picture"></a></p>');
  });

  it('refuses a picture that does not exist, naming the lesson', () => {
    expect(() => buildSite(course, fakeSources({ [first.slug]: '![gone](pictures/gone.svg)' }))).toThrow(
      new SiteError(`lessons/${first.slug}.md: the picture "pictures/gone.svg" does not exist (looked for lessons/pictures/gone.svg)`),
    );
  });

  it('refuses a picture outside lessons/pictures/', () => {
    expect(() => buildSite(course, fakeSources({ [first.slug]: '![x](../x.svg)' }))).toThrow(/must be a file in lessons\/pictures\//);
  });
});

describe('the pictures', () => {
  it.each(pictureFiles())('%s has a title, a description and real text', (name) => {
    const svg = fs.readFileSync(path.join(lessonsRoot, 'pictures', name), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*>\s*<title id="title">[^<]{10,}<\/title>\s*<desc id="desc">[^<]{20,}<\/desc>/);
    expect(svg).toMatch(/<text\b/);
    expect(svg, 'a dark variant').toContain('@media (prefers-color-scheme: dark)');
  });
});

describe('npm run site, in Chromium', () => {
  let root = '';
  let out = '';
  let server: http.Server | undefined;
  let origin = '';
  let browser: BrowserContext | undefined;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'course-site-'));
    out = path.join(root, 'site');
    let errors = '';
    const io: Io = { stdout: { write: () => true }, stderr: { write: (chunk: string) => (errors += chunk) }, env: {}, cwd: root };
    expect(await siteCommand(['--out', out], io), errors).toBe(0);
    if (!hasBrowser) return;
    writeGallery(path.join(root, 'gallery'));
    server = await serve(root);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}/site`;
    browser = await chromium.launchPersistentContext(path.join(root, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      // Without the background-networking flags Chromium tries hosts this machine cannot reach.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      timeout: 60_000,
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  // One visit per page: opening a page is what costs time on a loaded machine.
  it.for(pages)('%s loads with no error, draws its images, links only to what exists and fits a phone', async (file, context) => {
    const page = await openPage(context, `${origin}/${file}`);
    if (!page) return;
    const images = await page.page.$$eval('img', (all) => all.map((image) => ({ src: image.src, drawn: image.complete && image.naturalWidth > 0 })));
    const hrefs = await page.page.$$eval('a[href]', (links) => links.map((link) => (link as HTMLAnchorElement).href));
    await page.page.setViewportSize({ width: 360, height: 740 });
    const widths = await page.page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    await page.page.close();

    expect(page.status, `${file} answered`).toBe(200);
    expect(page.problems, `${file}: console errors and failed requests`).toEqual([]);
    for (const image of images) expect(image.drawn, `${file}: image ${image.src} drawn`).toBe(true);
    const internal = hrefs.filter((href) => href.startsWith(`${origin}/`));
    expect(internal.length, `${file} has links to the other pages`).toBeGreaterThan(0);
    for (const href of internal) {
      const url = new URL(href);
      const target = path.join(root, decodeURIComponent(url.pathname));
      expect(fs.existsSync(target) && fs.statSync(target).isFile(), `${file} links to ${url.pathname}`).toBe(true);
      if (url.hash) expect(fs.readFileSync(target, 'utf8'), `${file} links to ${url.pathname}${url.hash}`).toContain(`id="${decodeURIComponent(url.hash.slice(1))}"`);
    }
    expect(widths.page, `${file} is no wider than a 360 px phone`).toBeLessThanOrEqual(widths.screen);
  });

  it('shows the lessons on the index in the course order', async (context) => {
    const page = await openPage(context, `${origin}/index.html`);
    if (!page) return;
    const shown = await page.page.$$eval('ol.lessons li', (items) =>
      items.map((item) => `${(item as HTMLElement).dataset.lesson} ${item.querySelector('.title')?.textContent ?? ''} ${item.querySelector('a')?.getAttribute('href') ?? ''}`),
    );
    await page.page.close();
    expect(shown).toEqual(course.map((lesson) => `${lesson.number} ${lesson.title} ${pageFileOf(lesson)}`));
  });

  it('draws every picture in lessons/pictures/ when a lesson shows it', async (context) => {
    const page = await openPage(context, `${origin.replace(/\/site$/, '/gallery')}/${pageFileOf(course[0]!)}`);
    if (!page) return;
    const images = await page.page.$$eval('img', (all) => all.map((image) => ({ src: image.src.replace(/^.*\//, ''), drawn: image.complete && image.naturalWidth > 0 })));
    await page.page.close();
    expect(page.problems).toEqual([]);
    expect(images).toEqual(pictureFiles().map((name) => ({ src: name, drawn: true })));
  });

  it('switches to dark colours when the system asks for them', async (context) => {
    const backgrounds: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await openPage(context, `${origin}/${pages[1]}`, undefined, colorScheme);
      if (!page) return;
      backgrounds.push(await page.page.evaluate(() => getComputedStyle(document.body).backgroundColor));
      await page.page.close();
    }
    expect(backgrounds).toEqual(['rgb(255, 255, 255)', 'rgb(13, 17, 23)']);
  });

  it('works opened from disk: styles and pictures load over file://', async (context) => {
    for (const file of pages) {
      const page = await openPage(context, `file://${path.join(out, file)}`);
      if (!page) return;
      const state = await page.page.evaluate(() => ({
        styled: getComputedStyle(document.body).maxWidth !== 'none',
        undrawn: Array.from(document.images).filter((image) => !(image.complete && image.naturalWidth > 0)).map((image) => image.src),
      }));
      await page.page.close();
      expect(page.problems, `${file} from disk`).toEqual([]);
      expect(state, `${file} from disk`).toEqual({ styled: true, undrawn: [] });
    }
  });

  /** Opens a page and records what went wrong on it; undefined when the test was skipped. */
  async function openPage(
    context: TestContext,
    url: string,
    viewport = { width: 1280, height: 900 },
    colorScheme: 'light' | 'dark' = 'light',
  ): Promise<{ page: Page; status: number | undefined; problems: string[] } | undefined> {
    if (!browser) {
      if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing, and CI must run the browser tests: install Debian's chromium`);
      context.skip(`${CHROMIUM} is absent (apt-get install chromium to run this test)`);
      return undefined;
    }
    const page = await browser.newPage();
    await page.setViewportSize(viewport);
    await page.emulateMedia({ colorScheme });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    const response = await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    return { page, status: response?.status(), problems };
  }
});

function pictureFiles(): string[] {
  return fs.readdirSync(path.join(lessonsRoot, 'pictures')).filter((name) => name.endsWith('.svg')).sort();
}

/** The site again, with the first lesson showing every picture, whether or not a lesson uses it yet. */
function writeGallery(folder: string): void {
  const real = fileSources(lessonsRoot);
  const gallery = pictureFiles().map((name) => `![${name}](pictures/${name})`).join('\n\n');
  const files = buildSite(course, { ...real, readLesson: (slug) => (slug === course[0]!.slug ? gallery : real.readLesson(slug)) });
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    fs.writeFileSync(path.join(folder, file), content);
  }
}

/** A static file server on loopback for the built folder; anything else is a 404. */
function serve(root: string): Promise<http.Server> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const server = http.createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = path.join(root, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
