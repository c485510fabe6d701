// Lesson 5: a line server for many clients at once. Its grading: five scenarios, each a run
// of server.ts that its checks' clients share (scenarios.ts).
import { defineLesson } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { scenarios } from './scenarios.ts';

export const grading = defineLesson({ scenarios, diagnoses });
