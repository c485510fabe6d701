import { course } from '../../lessons/course.ts';
import { classroomWorkflow } from '../classroom/workflow.ts';
import { EXIT } from '../errors.ts';
import type { Io } from '../io.ts';

/** `npm run grade:workflow`: prints the GitHub Classroom workflow for this course. */
export function workflowCommand(_argv: readonly string[], io: Io): number {
  io.stdout.write(classroomWorkflow(course));
  return EXIT.pass;
}
