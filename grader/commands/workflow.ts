import { course } from '../../lessons/course.ts';
import { classroomWorkflow } from '../classroom/workflow.ts';
import { EXIT } from '../errors.ts';
import { defineCommand } from './define.ts';

/** `npm run grade:workflow`: prints the GitHub Classroom workflow for this course. */
export const workflowCommand = defineCommand({
  invocation: 'npm run grade:workflow',
  summary: 'Prints the GitHub Classroom workflow for this course (templates/classroom.yml).',
  options: {},
  run: (_input, io) => {
    io.stdout.write(classroomWorkflow(course));
    return EXIT.pass;
  },
});
