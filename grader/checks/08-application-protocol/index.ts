// Lesson 8: an application protocol with a header. Its grading: one run of server.ts that every
// server check connects to, then runs of client.ts against the server the grader plays.
import { defineLesson } from '../lesson.ts';
import { clientBinary, clientCutShort, clientError, clientSearch } from './client-run.ts';
import { diagnoses } from './diagnoses.ts';
import { serverRun } from './server-run.ts';

export const grading = defineLesson({ scenarios: [serverRun, clientSearch, clientBinary, clientError, clientCutShort], diagnoses });
