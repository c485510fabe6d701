// Lesson 1: the blocking echo server. Its grading: two scenarios, each a run of server.ts.
import { defineLesson } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { oneClient } from './one-client.ts';
import { resettingClient } from './reset.ts';

export const grading = defineLesson({ scenarios: [oneClient, resettingClient], diagnoses });
