// A program that does not compile is a result with the learner's file, line, column and
// line, not a crash before listening; programs run compiled, with stack traces on their .ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileProgram, formatProblem } from '../grader/run/compile.ts';
import { gradeRoot } from './helpers/grade.ts';

const scratches: string[] = [];
afterEach(() => {
  for (const dir of scratches.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function lessonWith(files: Record<string, string>, slug = '01-echo-server'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-test-'));
  scratches.push(root);
  fs.mkdirSync(path.join(root, slug));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(root, slug, name), text);
  return root;
}

const unclosed = "import net from 'node:net';\nconst server = net.createServer((conn) => {\n  conn.on('data', (d) => conn.write(d)\n});\nserver.listen(1);\n";

describe('compiling a program', () => {
  it('reports a syntax error as the first failed check, naming file, line and column, and starts nothing', async () => {
    const result = await gradeRoot('1', lessonWith({ 'server.ts': unclosed }), 4);
    const [compiles, ...rest] = result.checks;
    expect(compiles).toMatchObject({ id: 'compiles', status: 'fail' });
    expect(compiles!.failure?.summary).toBe('server.ts does not compile: Expected ")" but found "}" (line 4, column 1)');
    expect(compiles!.failure?.actual).toContain('4 | });');
    expect(compiles!.failure?.hint).not.toMatch(/listen/);
    expect(rest.every((check) => check.status === 'skip')).toBe(true);
    expect(result.resources.pids).toEqual([]);
  });

  it("finds the error in a module the program imports, under the module's own name", async () => {
    const root = lessonWith({ 'server.ts': "import { x } from './framing.ts';\nconsole.log(x);\n", 'client.ts': 'export {};\n', 'framing.ts': 'export const x = ;\n' }, '03-framing');
    const result = await gradeRoot('3', root, 4);
    expect(result.checks[0]!.failure?.summary).toMatch(/^framing\.ts does not compile: .*\(line 1, column 18\)$/);
  });

  it('draws a caret under the column of the learner\'s own line', () => {
    expect(formatProblem({ file: 'server.ts', line: 12, column: 5, message: 'Unexpected "}"', lineText: 'foo }' })).toEqual([
      'server.ts:12:5: Unexpected "}"',
      '  12 | foo }',
      '     |     ^',
    ]);
  });

  it('bundles the lesson\'s own modules and leaves node: imports as imports', async () => {
    const root = lessonWith({ 'server.ts': "import net from 'node:net';\nimport { x } from './framing.ts';\nconsole.log(x, typeof net.createServer);\n", 'framing.ts': 'export const x: number = 7;\n' });
    const lessonDir = path.join(root, '01-echo-server');
    const built = await compileProgram(path.join(lessonDir, 'server.ts'), lessonDir, path.join(root, '.build'));
    expect(built.ok).toBe(true);
    const text = fs.readFileSync((built as { outfile: string }).outfile, 'utf8');
    expect(text).toContain('from "node:net"');
    expect(text).toContain('x = 7');
    expect(text).toContain('sourceMappingURL=data:');
  });
});
