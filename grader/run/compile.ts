// Turns a learner's program into one JavaScript file, once per grading, with esbuild (the
// compiler tsx itself uses): plain `node` then starts it in about a third of the time
// `node --import tsx` takes, stack traces still point at the learner's .ts lines through an
// inline source map, and a program that does not compile is reported as that, with the
// file, line, column and the learner's own line, instead of as a crash before listening.
import { build, type Message } from 'esbuild';
import path from 'node:path';

export interface CompileProblem {
  /** As the learner names it: "server.ts". */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** The learner's line, as written. */
  readonly lineText: string;
}

export type Compiled = { readonly ok: true; readonly outfile: string } | { readonly ok: false; readonly problems: readonly CompileProblem[] };

function problemOf(message: Message, lessonDir: string): CompileProblem {
  const location = message.location;
  return {
    file: location ? path.relative(lessonDir, path.resolve(lessonDir, location.file)) : '?',
    line: location?.line ?? 0,
    column: (location?.column ?? 0) + 1,
    message: message.text,
    lineText: location?.lineText ?? '',
  };
}

/**
 * Bundles `entry` (a file in the staged lesson folder) with the lesson's own modules into
 * `outDir`. Node's built-in modules stay imports; anything else is bundled (a boxed program
 * sees no node_modules); nothing is minified.
 */
export async function compileProgram(entry: string, lessonDir: string, outDir: string): Promise<Compiled> {
  const outfile = path.join(outDir, `${path.basename(entry, path.extname(entry))}.mjs`);
  try {
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'silent',
      write: true,
      absWorkingDir: lessonDir,
    });
    return { ok: true, outfile };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors?.length) throw error;
    return { ok: false, problems: errors.map((message) => problemOf(message, lessonDir)) };
  }
}

/** "server.ts:12:7: Expected ";" but found "conn"" with the line and a caret under the column. */
export function formatProblem(problem: CompileProblem): string[] {
  const number = String(problem.line);
  return [
    `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`,
    `  ${number} | ${problem.lineText}`,
    `  ${' '.repeat(number.length)} | ${' '.repeat(Math.max(0, problem.column - 1))}^`,
  ];
}
