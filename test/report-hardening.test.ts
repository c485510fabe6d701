// What a class grading writes and prints must survive submissions written to attack it: formula
// cells, planted symlinks, floods of output and terminal escape sequences.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findLesson } from '../lessons/course.ts';
import { capRowResult, capText } from '../grader/class/caps.ts';
import { buildReport, summaryLines, toCsv, type ClassRow } from '../grader/class/report.ts';
import { displayName, listStudents } from '../grader/class/students.ts';
import { writeFileAtomic } from '../grader/fs/write-atomic.ts';
import type { CheckResult, LessonResult } from '../grader/grade.ts';
import { toJsonResult, type JsonResult } from '../grader/report/json.ts';
import { painter } from '../grader/report/paint.ts';
import { escapeControl, failureBlock } from '../grader/report/text.ts';

const plain = painter(false);
const run = { sandbox: 'bubblewrap', seed: 7 };
const row = (fields: Partial<ClassRow> = {}): ClassRow => ({
  student: 'alice', lesson: 1, slug: '01-echo-server', status: 'fail', score: 2, maxScore: 6, seed: 7, sandbox: 'bubblewrap', ...fields,
});
const csvLine = (fields: Partial<ClassRow>) => toCsv([row(fields)]).split('\n')[1];

function failedCheck(fields: Partial<CheckResult> = {}): CheckResult {
  return {
    id: 'echoes', title: 'echoes a line', status: 'fail', durationMs: 3, transcript: [], outputs: [],
    failure: { summary: 'no echo', hint: 'write it back' },
    ...fields,
  };
}

/** What the reporters read of a lesson's result; the rest (resources, containment) is the grader's own. */
function lessonResult(checks: CheckResult[]): LessonResult {
  const read = { lesson: findLesson('1'), lessonDir: '/x', seed: 7, host: '127.0.0.1', status: 'fail', checks, durationMs: 10 } as const;
  return read as unknown as LessonResult;
}

function resultWithOutput(output: string): JsonResult {
  const json = toJsonResult(lessonResult([failedCheck()]));
  return { ...json, tests: json.tests.map((test) => ({ ...test, output, transcript: Array.from({ length: 1000 }, (_, i) => `event ${i} ${'y'.repeat(1000)}`) })) };
}

describe('the class CSV', () => {
  it.each(['=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('prefixes a quote to a field starting like a formula: %j', (name) => {
    const field = csvLine({ student: name }).split(',')[0]!;
    expect(field.replace(/^"/, '').startsWith(`'${escapeControl(name.slice(0, 1))}`)).toBe(true);
  });

  it('quotes a neutralised field that holds a comma, a quote or a line break', () => {
    expect(csvLine({ message: '=cmd|"/c calc",x' })).toContain(`,"'=cmd|""/c calc"",x",`);
  });

  it('leaves ordinary text and numbers as they were', () => {
    expect(csvLine({ student: 'bob smith', failedCheck: 'echoes a line', message: 'a-b=c', diagnosis: 'decodes-as-text' })).toBe(
      'bob smith,1,01-echo-server,fail,2,6,echoes a line,a-b=c,7,bubblewrap,decodes-as-text',
    );
  });

  it('records in every row the sandbox the programs ran in, then the diagnosis', () => {
    const [header, line] = toCsv([row({ sandbox: 'none (--trust)' })]).split('\n');
    expect(header).toBe('student,lesson,slug,status,score,max_score,failed_check,message,seed,sandbox,diagnosis');
    expect(line!.endsWith(',7,none (--trust),')).toBe(true);
  });

  it('comes with a version 3 JSON report that records the sandbox and the seed', () => {
    const report = buildReport(['alice'], [row()], run, new Date(0));
    expect(report).toMatchObject({ version: 3, sandbox: 'bubblewrap', seed: 7, generatedAt: '1970-01-01T00:00:00.000Z', students: ['alice'] });
  });

  it('prints the name of a check failed most with its control characters escaped', () => {
    const report = buildReport(['alice'], [row({ failedCheck: 'x\x1b[2J\nAll checks passed' })], run);
    const text = summaryLines(report).join('\n');
    expect(text).not.toContain('\x1b');
    expect(text).toContain('1 × lesson-1: x\\x1b[2J\\nAll checks passed');
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replaces a symlink planted at the path and leaves the file it pointed to untouched', () => {
    const victim = path.join(dir, 'victim');
    fs.writeFileSync(victim, 'precious\n');
    const report = path.join(dir, 'class-report.csv');
    fs.symlinkSync(victim, report);
    writeFileAtomic(report, 'student,lesson\n');
    expect(fs.lstatSync(report).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(report, 'utf8')).toBe('student,lesson\n');
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('creates the folders that do not exist yet', () => {
    const file = path.join(dir, 'reports', 'spring', 'class-report.json');
    writeFileAtomic(file, '{}\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('{}\n');
  });

  it('replaces an existing file whole and leaves no temporary file behind', () => {
    const file = path.join(dir, 'class-report.csv');
    fs.writeFileSync(file, 'old and longer than the new one\n');
    writeFileAtomic(file, new TextEncoder().encode('new\n'));
    expect(fs.readFileSync(file, 'utf8')).toBe('new\n');
    expect(fs.readdirSync(dir)).toEqual(['class-report.csv']);
  });

  it('throws when the rename fails and removes its temporary file', () => {
    const file = path.join(dir, 'class-report.csv');
    fs.mkdirSync(path.join(file, 'inside'), { recursive: true });
    expect(() => writeFileAtomic(file, 'x')).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['class-report.csv']);
  });
});

describe('capRowResult', () => {
  const fiftyMegabytes = 'x'.repeat(50 * 1024 * 1024);

  it('cuts a result holding 50 MB of output to a few KiB and says how much was cut', () => {
    const capped = capRowResult(resultWithOutput(fiftyMegabytes));
    const test = capped.tests[0]!;
    expect(test.output).toMatch(/… \(cut: \d+ more characters\)$/);
    expect(test.output.length).toBeLessThan(4096 + 40);
    expect(JSON.stringify(capped).length).toBeLessThan(64 * 1024);
  });

  it('keeps the last 99 transcript lines, each cut to 300 characters, after a line saying how many were cut', () => {
    const transcript = capRowResult(resultWithOutput('')).tests[0]!.transcript;
    expect(transcript).toHaveLength(100);
    expect(transcript[0]).toBe('… 901 earlier lines cut');
    expect(transcript[1]).toMatch(/^event 901 y+… \(cut: 710 more characters\)$/);
    expect(transcript.every((line) => line.length <= 300 + 40)).toBe(true);
    expect(transcript.at(-1)).toMatch(/^event 999 /);
  });

  it('lets JSON.stringify write a class report of 200 rows that each held 50 MB of output', () => {
    const rows = Array.from({ length: 200 }, (_, i) => row({ student: `s${i}`, result: capRowResult(resultWithOutput(fiftyMegabytes)) }));
    const json = JSON.stringify(buildReport(rows.map((r) => r.student), rows, run), null, 2);
    expect(json.length).toBeLessThan(200 * 64 * 1024);
  });

  it('keeps a forged result of thousands of tests full of control characters under 320 KiB a row', () => {
    const junk = '\x01"'.repeat(100_000);
    const test = { name: junk, id: junk, status: 'fail', message: junk, expected: junk, actual: junk, hint: junk, diagnosis: junk, output: junk, transcript: Array(5000).fill(junk), duration_ms: 1 };
    const forged = { version: 1, status: 'fail', lesson: { number: 1, slug: junk, title: junk }, seed: 1, host: junk, duration_ms: 1, score: 0, max_score: 1, extra: junk, tests: Array(5000).fill(test) };
    const capped = capRowResult(forged as unknown as JsonResult);
    expect(Object.keys(capped)).not.toContain('extra');
    expect(capped.tests[0]!.diagnosis, 'a forged diagnosis id is dropped').toBeUndefined();
    const report = JSON.stringify(buildReport(['alice'], [row({ result: capped })], run), null, 2);
    expect(report.length).toBeLessThan(320 * 1024);
  });

  it('leaves a result that is small already exactly as it was', () => {
    const json = toJsonResult(lessonResult([failedCheck({ failure: { summary: 'no echo', expected: '"hi\\n"', actual: '""', hint: 'write it back' } })]));
    expect(capRowResult(json)).toEqual(json);
  });

  it('counts characters as JSON writes them and never splits a surrogate pair', () => {
    expect(capText('\x01'.repeat(100), 60)).toMatch(/^\x01{10}… \(cut: 90 more characters\)$/);
    expect(capText('a😀', 2)).toBe('a… (cut: 2 more characters)');
  });
});

describe('the text report of a hostile program', () => {
  const forged = '\x1b[2J\x1b[32mAll 6 checks passed';
  const block = (check: CheckResult) => failureBlock(check, { lesson: findLesson('1'), seed: 7, source: [] }, plain).join('\n');

  it('escapes every C0 control but tab, and DEL and C1, in escapeControl', () => {
    expect(escapeControl('a\tb\x00\x07\x1b\n\r\x7f\x85\x9f é')).toBe('a\tb\\x00\\x07\\x1b\\n\\r\\x7f\\x85\\x9f é');
  });

  it("cannot clear the screen or forge a passing line from the program's output", () => {
    const text = block(failedCheck({ outputs: [{ label: 'server.ts', stdout: `${forged}\nok\rAll 6 checks passed\n`, stderr: '', truncated: false, ending: 'exited with code 0' }] }));
    expect(text).not.toMatch(/[\x1b\r]/);
    expect(text).toContain('stdout | \\x1b[2J\\x1b[32mAll 6 checks passed');
    expect(text).toContain('stdout | ok\\rAll 6 checks passed');
    expect(text.split('\n').filter((line) => line.trim().startsWith('All'))).toEqual([]);
  });

  it("keeps the output's line breaks, \\r\\n included, as line breaks", () => {
    const text = block(failedCheck({ outputs: [{ label: 'server.ts', stdout: 'one\r\ntwo\n', stderr: '', truncated: false, ending: 'exited with code 0' }] }));
    expect(text).toContain('stdout | one\n');
    expect(text).toContain('stdout | two');
  });

  it('escapes the summary, expected and actual of a failure, which may quote the program', () => {
    const text = block(failedCheck({ failure: { summary: `said ${forged}`, expected: '"hi"', actual: `${forged}\x9b2J`, hint: 'write it back' } }));
    expect(text).not.toMatch(/[\x1b\x9b]/);
    expect(text).toContain('said \\x1b[2J\\x1b[32mAll 6 checks passed');
    expect(text).toContain('actual:   \\x1b[2J\\x1b[32mAll 6 checks passed\\x9b2J');
  });
});

describe('listStudents', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'students-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists real folders sorted, leaves out dot-folders and files, and names every symlink apart', () => {
    for (const name of ['carol', 'alice', '.git', 'bob']) fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, 'notes.txt'), '');
    fs.symlinkSync(os.homedir(), path.join(dir, 'eve'));
    fs.symlinkSync(path.join(dir, 'notes.txt'), path.join(dir, 'file-link'));
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
    expect(listStudents(dir)).toEqual({ students: ['alice', 'bob', 'carol'], symlinked: ['dangling', 'eve', 'file-link'] });
  });

  it('shows a student name holding a newline or ESC escaped, on one line', () => {
    expect(displayName('bob\nalice lesson-1: pass')).toBe('bob\\nalice lesson-1: pass');
    expect(displayName('\x1b[2Kmallory')).toBe('\\x1b[2Kmallory');
  });
});

