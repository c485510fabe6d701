// Lesson 3: length-prefixed framing. Its grading: one run of server.ts that every server check
// connects to, then runs of client.ts against the framing server the grader plays.
import { defineLesson } from '../lesson.ts';
import { emptyInput, endsAfterStdin } from './client-ends.ts';
import { largeReply } from './client-large.ts';
import { clientRun } from './client-run.ts';
import { truncatedConversations } from './client-truncation.ts';
import { diagnoses } from './diagnoses.ts';
import { serverRun } from './server-run.ts';

export const grading = defineLesson({ scenarios: [serverRun, clientRun, emptyInput, endsAfterStdin, largeReply, truncatedConversations], diagnoses });
