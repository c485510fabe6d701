// Lesson 2: the echo client. The grader plays the server (reply-server.ts) in four scenarios,
// each its own run of client.ts.
import { defineLesson } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { emptyMessage } from './empty-message.ts';
import { nothingListens } from './nothing-listens.ts';
import { otherAnswer } from './other-answer.ts';
import { slowEcho } from './slow-echo.ts';

export const grading = defineLesson({ scenarios: [slowEcho, otherAnswer, emptyMessage, nothingListens], diagnoses });
