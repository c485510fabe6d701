// Lesson 6: the port checker, Node's connect_ex. The grader opens and closes the ports itself
// (its own servers on HOST, free ports with nothing on them, loopback's broadcast address and,
// on Linux, a port whose SYNs are dropped) and reads what portcheck.ts prints, when, and how it
// exits. "open" must come from a real connection (its servers count them), and on Linux the
// kernel's socket table shows how long each of the program's sockets stayed connecting or
// connected. Three scenarios: bad arguments, the ports one at a time, twenty ports at once.
import { defineLesson } from '../lesson.ts';
import { badArguments } from './bad-arguments.ts';
import { CONNECT_TIMEOUT_MS } from './contract.ts';
import { diagnoses } from './diagnoses.ts';
import { ports, twentyPorts } from './ports.ts';

export const grading = defineLesson({
  scenarios: [badArguments, ports, twentyPorts],
  diagnoses,
  floor: { ms: CONNECT_TIMEOUT_MS, why: "the first twenty-port run and reports-timeout each wait out the contract's connect time-out on their unanswered port, at the same time" },
});
