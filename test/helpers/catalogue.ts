// The catalogue of learner mistakes and of correct programs in other styles, per lesson.
// A lesson's entries live in test/fixtures/<slug>/catalogue.ts; its programs under
// test/fixtures/<slug>/wrong/<name>/ and right/<name>/, holding only the files that differ
// from the solution.
import { deriveSeed } from '../../grader/net/random.ts';
import fs from 'node:fs';
import path from 'node:path';
import { describe as group, expect, it } from 'vitest';
import { loadGrading } from '../../grader/checks/index.ts';
import { checksOf } from '../../grader/checks/lesson.ts';
import { solutionsRoot } from '../../grader/paths.ts';
import { changedCodeLines } from './changed-lines.ts';
import { describe, expectNothingLeft, firstFailure, fixturesRoot, gradeVariant, lessonOf } from './grade.ts';

export interface WrongProgram {
  /** Folder name under wrong/. */
  readonly name: string;
  /** The mistake, as a learner would make it. */
  readonly mistake: string;
  /** The id of the first check that must fail. */
  readonly failsAt: string;
  /**
   * The id of the diagnosis the failing check must make (grader/checks/<slug>/diagnoses.ts), or
   * null where it can only give its general hint. Entries of lessons not yet moved to diagnoses
   * give `hint` instead.
   */
  readonly diagnosis?: string | null;
  /** The printed hint must match: it names the actual mistake. */
  readonly hint?: RegExp;
  readonly seed?: number;
  /** Graded over IPv6 (HOST=::1): for mistakes only IPv6 shows, like a hard-coded 'udp4'. */
  readonly ipv6?: boolean;
  /**
   * An earlier check that may catch the same mistake first, with the same diagnosis: when the
   * machine is loaded (a reaction to a datagram that comes late enough to be judged there), or
   * where the run's random events decide which of two checks of one run sees it first.
   */
  readonly orFailsAt?: string;
  /** Why this program cannot be the solution with one mistake made in it (it is allowed to differ more). */
  readonly rewritten?: string;
}

export interface RightProgram {
  /** Folder name under right/. */
  readonly name: string;
  /** How it differs from the solution: "for await over the socket". */
  readonly style: string;
  readonly seed?: number;
  readonly ipv6?: boolean;
}

/** A wrong program is the solution with one mistake in it: at most this many lines of code changed. */
export const MAX_CHANGED_LINES = 10;

export interface Catalogue {
  /** The first check the untouched stub must fail. */
  readonly stubFailsAt: string;
  readonly wrong: readonly WrongProgram[];
  readonly right: readonly RightProgram[];
}

/** Lessons move to diagnoses and one-mistake programs together; until then they declare none. */
async function movedToDiagnoses(slug: string): Promise<boolean> {
  return Object.keys((await loadGrading(slug)).diagnoses).length > 0;
}

/**
 * Each entry's own seed, so its own HOST: gradings run side by side (and across lessons), and a
 * program that hard-codes a port must never meet another's on one address.
 */
function ownSeed(slug: string, kind: 'wrong' | 'right', name: string): number {
  return deriveSeed(11, `${slug}/${kind}/${name}`);
}

/** Registers the tests for one lesson's catalogue; its gradings run concurrently (vitest.config.ts maxConcurrency). */
export function catalogueTests(slug: string, catalogue: Catalogue): void {
  const lesson = lessonOf(slug);
  const folder = path.join(fixturesRoot, slug);

  group(`lesson ${lesson.number} catalogue`, () => {
    it('has a wrong program for every check, each caught first by that check', async () => {
      const checkIds = checksOf(await loadGrading(slug)).map((check) => check.id);
      expect(new Set(catalogue.wrong.map((entry) => entry.failsAt))).toEqual(new Set(checkIds));
      for (const entry of catalogue.wrong) expect(entry.diagnosis !== undefined || entry.hint !== undefined, `wrong/${entry.name} names its diagnosis`).toBe(true);
      for (const entry of [...catalogue.wrong.map((w) => `wrong/${w.name}`), ...catalogue.right.map((r) => `right/${r.name}`)]) {
        expect(fs.existsSync(path.join(folder, entry)), `${slug}/${entry} exists`).toBe(true);
      }
    });

    // Lessons are moved to diagnoses and to one-mistake programs together.
    it('makes each wrong program the solution with one mistake', async (test) => {
      if (!(await movedToDiagnoses(slug))) test.skip('its checks still give hints as text');
      const tooFar: string[] = [];
      for (const entry of catalogue.wrong.filter((wrong) => !wrong.rewritten)) {
        const dir = path.join(folder, 'wrong', entry.name);
        const files = fs.readdirSync(dir).map((file) => {
          const solution = path.join(solutionsRoot, slug, file);
          return { file, text: fs.readFileSync(path.join(dir, file), 'utf8'), solution: fs.existsSync(solution) ? fs.readFileSync(solution, 'utf8') : '' };
        });
        const changed = files.reduce((sum, { text, solution }) => sum + changedCodeLines(solution, text), 0);
        if (changed > MAX_CHANGED_LINES) tooFar.push(`wrong/${entry.name}: ${changed} lines of code differ from the solution`);
        // A file kept only so the others compile is the solution's, unchanged; the files with the mistake say what it is.
        const mistaken = files.filter(({ text, solution }) => text !== solution);
        if (mistaken.length === 0) tooFar.push(`wrong/${entry.name}: no file differs from the solution`);
        for (const { file, text } of mistaken) {
          if (!text.startsWith('// Mistake: ')) tooFar.push(`wrong/${entry.name}/${file}: first line is not "// Mistake: …"`);
        }
      }
      expect(tooFar, `at most ${MAX_CHANGED_LINES} changed lines, or an entry saying why it is rewritten`).toEqual([]);
    });

    it('has a wrong program for every diagnosis its checks can make', async (test) => {
      if (!(await movedToDiagnoses(slug))) test.skip('its checks still give hints as text');
      const shown = new Set(catalogue.wrong.map((entry) => entry.diagnosis));
      const unshown = Object.keys((await loadGrading(slug)).diagnoses).filter((id) => !shown.has(id));
      expect(unshown, 'diagnoses no wrong program shows').toEqual([]);
    });

    it.concurrent.each(catalogue.wrong)('fails "$name" at $failsAt with its hint', async (entry) => {
      const result = await gradeVariant(slug, path.join(folder, 'wrong', entry.name), entry.seed ?? ownSeed(slug, 'wrong', entry.name), { ipv6: entry.ipv6 });
      const first = firstFailure(result);
      expect(entry.orFailsAt !== undefined && first === entry.orFailsAt ? entry.orFailsAt : entry.failsAt, `${entry.mistake}\n${describe(result)}`).toBe(first);
      const failed = result.checks.find((check) => check.id === first)!;
      expect(failed.status).toBe('fail');
      if (entry.diagnosis !== undefined) expect(failed.failure?.diagnosis ?? null, `the diagnosis of ${entry.mistake}`).toBe(entry.diagnosis);
      if (entry.hint) expect(failed.failure?.hint).toMatch(entry.hint);
      await expectNothingLeft(result);
    });

    it.concurrent.each(catalogue.right)('passes "$name" ($style)', async (entry) => {
      const result = await gradeVariant(slug, path.join(folder, 'right', entry.name), entry.seed ?? ownSeed(slug, 'right', entry.name), { ipv6: entry.ipv6 });
      expect(result.status, describe(result)).toBe('pass');
      await expectNothingLeft(result);
    });
  });
}
