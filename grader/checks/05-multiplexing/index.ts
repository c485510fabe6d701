// Lesson 5: a line server for many clients at once. Its grading: five scenarios, each a run
// of server.ts that its checks' clients share (scenarios.ts).
import { defineLesson } from '../lesson.ts';
import { FLOOD_STALL_MS, RESUME_WATCH_MS } from './backpressure.ts';
import { diagnoses } from './diagnoses.ts';
import { scenarios } from './scenarios.ts';

export const grading = defineLesson({
  scenarios,
  diagnoses,
  floor: {
    ms: FLOOD_STALL_MS + RESUME_WATCH_MS,
    why: 'a flood is stalled once the kernel took nothing of it for a while; then the stalled flooder is watched for reads, to tell a server that waits for "drain" from one resumed by a timer',
  },
});
