// Lesson 7: a client with many connections at once. The grader plays the echo server
// (many-server.ts) in three scenarios, each its own run of client.ts.
import { defineLesson } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { echoes } from './echoes.ts';
import { failures } from './failures.ts';
import { usage } from './usage.ts';

export const grading = defineLesson({ scenarios: [echoes, failures, usage], diagnoses });
