// Lesson 2: the echo client. The grader plays the server (reply-server.ts) in four scenarios,
// each its own run of client.ts.
import { defineLesson } from '../lesson.ts';
import { LONG_PAUSE_MS } from './client-run.ts';
import { diagnoses } from './diagnoses.ts';
import { emptyMessage } from './empty-message.ts';
import { nothingListens } from './nothing-listens.ts';
import { otherAnswer } from './other-answer.ts';
import { slowEcho } from './slow-echo.ts';

export const grading = defineLesson({
  scenarios: [slowEcho, otherAnswer, emptyMessage, nothingListens],
  diagnoses,
  floor: { ms: LONG_PAUSE_MS, why: 'the echo pauses inside a character, to tell a client that waits for the end from one that prints after a fixed sleep' },
});
