// A class run's child grader at work: one student's lessons graded a few at a time in one
// process, each announced when it starts (its time limit runs from then) and when it ends.
import type { Lesson } from '../../lessons/course.ts';
import { EXIT, exitForStatus } from '../errors.ts';
import { gradeLesson } from '../grade.ts';
import { pool } from '../pool.ts';
import { toJsonResult } from '../report/json.ts';
import type { ChildEvent } from './child-events.ts';

export interface StudentLessons {
  readonly root: string;
  readonly lessons: readonly { readonly lesson: Lesson; readonly seed: number }[];
  readonly sandbox: boolean;
  readonly atOnce: number;
  readonly emit: (event: ChildEvent) => void;
}

/** Grades every lesson, `atOnce` at a time, emitting its start and its end; the worst exit code. */
export async function gradeStudentLessons({ root, lessons, sandbox, atOnce, emit }: StudentLessons): Promise<number> {
  const codes = await pool(lessons, atOnce, async ({ lesson, seed }) => {
    emit({ started: lesson.slug });
    try {
      const result = toJsonResult(await gradeLesson({ lesson, root, seed, sandbox, bail: true }));
      emit({ result });
      return exitForStatus[result.status];
    } catch (error) {
      emit({ broke: lesson.slug, message: error instanceof Error ? error.message : String(error) });
      return EXIT.graderError;
    }
  });
  return Math.max(EXIT.pass, ...codes);
}
