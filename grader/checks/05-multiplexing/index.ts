// Lesson 5: a line server for many clients at once. Its grading: one scenario, one run of
// server.ts that every check's clients share (one-server.ts).
import { defineLesson } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { oneServer } from './one-server.ts';

export const grading = defineLesson({ scenarios: [oneServer], diagnoses });
