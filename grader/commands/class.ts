import { pool } from '../pool.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { course, findLesson, type Lesson } from '../../lessons/course.ts';
import { buildReport, summaryLines, toCsv, type ClassRow } from '../class/report.ts';
import { classIsolation } from '../class/isolation.ts';
import { gradeStudent } from '../class/run.ts';
import { displayName, listStudents } from '../class/students.ts';
import { writeFileAtomic } from '../fs/write-atomic.ts';
import { EXIT, UsageError } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';
import { defineCommand } from './define.ts';
import { deriveSeed, randomSeed } from '../net/random.ts';
import { parseSeed } from '../source.ts';

/**
 * Lessons one student's child grader grades at the same time: their designed waits overlap. On
 * two cores, 30 copies of the solutions took 248 s with 2, 201 s with 3 and 181 s with 4, every
 * grading passing; lesson 4's own 9 s is then most of a student's time.
 */
const LESSONS_AT_ONCE = 4;

function parseLessons(raw: string | undefined): Lesson[] {
  if (!raw) return [...course];
  return raw.split(',').map((name) => findLesson(name));
}

function parsePositive(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`--${name} ${raw}: expected a whole number of at least 1`);
  return Number(raw);
}

function progressBar(done: number, total: number, label: string, width = 24): string {
  const filled = Math.round((done / total) * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`.padEnd(80);
}


/** `npm run grade:class -- DIR`: every student × lesson, one child grader per student, into CSV and JSON. */
export const classCommand = defineCommand({
  invocation: 'npm run grade:class --',
  summary: 'Grades every student folder under DIR (each laid out like exercises/), sandboxed, into CSV and JSON reports.',
  positionals: { usage: 'DIR', min: 1, max: 1, help: [['DIR', 'a folder with one sub-folder per student, each laid out like exercises/']] },
  options: {
    lessons: { type: 'string', value: '1,2,3', description: 'which lessons to grade (default: all)' },
    jobs: { type: 'string', value: 'N', description: 'students graded at once (default: the number of cores)' },
    'lesson-jobs': { type: 'string', value: 'K', description: `lessons of one student graded at once (default ${LESSONS_AT_ONCE}; fewer on a slow machine)` },
    out: { type: 'string', value: 'DIR', description: 'where class-report.csv and class-report.json go (default: ./reports)' },
    seed: { type: 'string', value: 'N', description: "the class seed; each student's lesson gets its own seed derived from it (default: random; every row records its own)" },
    timeout: { type: 'string', value: 'SECONDS', description: "the most one student's lesson may take (default 180)" },
    trust: { type: 'boolean', description: 'run the programs without the sandbox (off Linux or without bubblewrap): only for code you trust, as it runs as you' },
  },
  run: ({ values, positionals }, io) => gradeClass(values, positionals[0]!, io),
});

async function gradeClass(
  values: { lessons?: string; jobs?: string; 'lesson-jobs'?: string; out?: string; seed?: string; timeout?: string; trust?: boolean },
  dir: string,
  io: Io,
): Promise<number> {
  const classDir = path.resolve(io.cwd, dir);
  if (!fs.existsSync(classDir) || !fs.statSync(classDir).isDirectory()) throw new UsageError(`${dir}: no such folder`);
  const lessons = parseLessons(values.lessons);
  const jobs = parsePositive(values.jobs, 'jobs', os.availableParallelism());
  const lessonJobs = parsePositive(values['lesson-jobs'], 'lesson-jobs', LESSONS_AT_ONCE);
  const timeoutMs = parsePositive(values.timeout, 'timeout', 180) * 1000;
  const seed = parseSeed(values.seed) ?? randomSeed();
  const outDir = path.resolve(io.cwd, values.out ?? 'reports');
  const isolation = classIsolation(values.trust === true);
  const { students, symlinked } = listStudents(classDir);
  if (students.length === 0 && symlinked.length === 0) throw new UsageError(`${dir}: no student folders in it`);

  const gradings = students.length * lessons.length;
  writeLines(io.stderr, [
    `Grading ${students.length} students × ${lessons.length} lessons (${gradings} gradings; ${jobs} students at once, ${lessonJobs} lessons each; class seed ${seed})`,
    isolation.sandboxed ? `Sandbox: ${isolation.description}` : `WARNING: no sandbox (${isolation.description}); a submission can read and change anything you can`,
  ]);
  let done = 0;
  const onRow = (row: ClassRow) => {
    done++;
    const label = `${displayName(row.student)} lesson-${row.lesson}: ${row.status}`;
    io.stderr.write(io.stderr.isTTY ? progressBar(done, gradings, label) : `${label}\n`);
  };
  const graded: ClassRow[] = (
    await pool(students, jobs, (student) =>
      gradeStudent({
        studentDir: path.join(classDir, student),
        student,
        lessons,
        seedOf: (lesson) => deriveSeed(seed, `${student}/${lesson.slug}`),
        timeoutMs,
        isolation,
        atOnce: lessonJobs,
        onRow,
      }),
    )
  ).flat();
  if (io.stderr.isTTY) io.stderr.write('\n');
  // A symlinked folder could point anywhere on the instructor's disk: reported, never followed.
  const refused: ClassRow[] = symlinked.flatMap((student) =>
    lessons.map((lesson) => ({
      student, lesson: lesson.number, slug: lesson.slug, status: 'missing' as const, score: 0, maxScore: 0, seed, sandbox: isolation.description,
      message: 'the student folder is a symbolic link; it was not followed (copy the folder in instead)',
    })),
  );
  const rows = [...graded, ...refused];

  const report = buildReport([...students, ...symlinked].sort(), rows, { sandbox: isolation.description, seed });
  writeFileAtomic(path.join(outDir, 'class-report.csv'), toCsv(rows));
  writeFileAtomic(path.join(outDir, 'class-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeLines(io.stdout, [...summaryLines(report), '', `Reports: ${path.relative(io.cwd, outDir) || '.'}/class-report.csv and class-report.json`]);
  return EXIT.pass;
}
