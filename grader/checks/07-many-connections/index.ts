// Lesson 7: a client with many connections at once. The grader plays the echo server
// (many-server.ts) in four scenarios, each its own run of client.ts: the usage error first,
// as it needs no network and fails at once; a connect that takes a second last.
import { defineLesson } from '../lesson.ts';
import { diagnoses } from './diagnoses.ts';
import { echoes } from './echoes.ts';
import { failures } from './failures.ts';
import { slowConnect } from './slow-connect.ts';
import { WAIT_LONG_MS, WAIT_MS } from './many-server.ts';
import { usage } from './usage.ts';

export const grading = defineLesson({
  scenarios: [usage, echoes, failures, slowConnect],
  diagnoses,
  floor: { ms: WAIT_MS + WAIT_LONG_MS, why: 'a late connection starts once held slots free up, and its echo is held to test its own deadline' },
});
