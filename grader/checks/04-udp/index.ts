// Lesson 4: UDP. Its grading: the echo server in two scenarios (one run serving several clients,
// one on a taken port), then the retransmitting client in four, each its own run of client.ts
// against a server the grader plays: faithful, losing first copies, silent, behind a lossy link.
import { defineLesson } from '../lesson.ts';
import { bindFailure } from './bind-failure.ts';
import { clientBasic } from './client-basic.ts';
import { clientRetransmits } from './client-retransmits.ts';
import { diagnoses } from './diagnoses.ts';
import { lossyLink } from './lossy-link.ts';
import { oneServer } from './one-server.ts';
import { silentServer } from './silent-server.ts';

export const grading = defineLesson({ scenarios: [oneServer, bindFailure, clientBasic, clientRetransmits, silentServer, lossyLink], diagnoses });
