// The catalogue of learner mistakes and of correct programs in other styles, per lesson.
// A lesson's entries live in test/fixtures/<slug>/catalogue.ts; its programs under
// test/fixtures/<slug>/wrong/<name>/ and right/<name>/, holding only the files that differ
// from the solution.
import fs from 'node:fs';
import path from 'node:path';
import { describe as group, expect, it } from 'vitest';
import { checksFor, lessonDiagnoses } from '../../grader/checks/index.ts';
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
}

export interface RightProgram {
  /** Folder name under right/. */
  readonly name: string;
  /** How it differs from the solution: "for await over the socket". */
  readonly style: string;
  readonly seed?: number;
  readonly ipv6?: boolean;
}

export interface Catalogue {
  /** The first check the untouched stub must fail. */
  readonly stubFailsAt: string;
  readonly wrong: readonly WrongProgram[];
  readonly right: readonly RightProgram[];
}

/** Registers the tests for one lesson's catalogue. */
export function catalogueTests(slug: string, catalogue: Catalogue): void {
  const lesson = lessonOf(slug);
  const folder = path.join(fixturesRoot, slug);

  group(`lesson ${lesson.number} catalogue`, () => {
    it('has a wrong program for every check, each caught first by that check', () => {
      const checkIds = checksFor(slug)().map((check) => check.id);
      expect(new Set(catalogue.wrong.map((entry) => entry.failsAt))).toEqual(new Set(checkIds));
      for (const entry of catalogue.wrong) expect(entry.diagnosis !== undefined || entry.hint !== undefined, `wrong/${entry.name} names its diagnosis`).toBe(true);
      for (const entry of [...catalogue.wrong.map((w) => `wrong/${w.name}`), ...catalogue.right.map((r) => `right/${r.name}`)]) {
        expect(fs.existsSync(path.join(folder, entry)), `${slug}/${entry} exists`).toBe(true);
      }
    });

    it.skipIf(!lessonDiagnoses[slug])('has a wrong program for every diagnosis its checks can make', () => {
      const shown = new Set(catalogue.wrong.map((entry) => entry.diagnosis));
      const unshown = Object.keys(lessonDiagnoses[slug] ?? {}).filter((id) => !shown.has(id));
      expect(unshown, 'diagnoses no wrong program shows').toEqual([]);
    });

    it.each(catalogue.wrong)('fails "$name" at $failsAt with its hint', async (entry) => {
      const result = await gradeVariant(slug, path.join(folder, 'wrong', entry.name), entry.seed ?? 11, { ipv6: entry.ipv6 });
      expect(firstFailure(result), `${entry.mistake}\n${describe(result)}`).toBe(entry.failsAt);
      const failed = result.checks.find((check) => check.id === entry.failsAt)!;
      expect(failed.status).toBe('fail');
      if (entry.diagnosis !== undefined) expect(failed.failure?.diagnosis ?? null, `the diagnosis of ${entry.mistake}`).toBe(entry.diagnosis);
      if (entry.hint) expect(failed.failure?.hint).toMatch(entry.hint);
      await expectNothingLeft(result);
    });

    it.each(catalogue.right)('passes "$name" ($style)', async (entry) => {
      const result = await gradeVariant(slug, path.join(folder, 'right', entry.name), entry.seed ?? 13, { ipv6: entry.ipv6 });
      expect(result.status, describe(result)).toBe('pass');
      await expectNothingLeft(result);
    });
  });
}
