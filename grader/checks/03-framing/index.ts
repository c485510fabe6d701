// Lesson 3: length-prefixed framing. Its grading: three runs of server.ts that the server checks
// connect to, then runs of client.ts against the framing server the grader plays.
import { defineLesson } from '../lesson.ts';
import { emptyInput, endsAfterStdin } from './client-ends.ts';
import { largeReply } from './client-large.ts';
import { clientRun } from './client-run.ts';
import { HELD_REPLY_MS } from './client-plan.ts';
import { truncatedConversations } from './client-truncation.ts';
import { diagnoses } from './diagnoses.ts';
import { largeFramesAndEndings, oversizedFrames, serverRun } from './server-run.ts';

export const grading = defineLesson({
  scenarios: [serverRun, largeFramesAndEndings, oversizedFrames, clientRun, emptyInput, endsAfterStdin, largeReply, truncatedConversations],
  diagnoses,
  floor: { ms: HELD_REPLY_MS, why: 'the last reply is held, to tell a client that waits for every reply from one that stops after a fixed wait' },
});
