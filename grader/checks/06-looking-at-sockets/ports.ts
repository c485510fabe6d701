// Lesson 6's second scenario: the ports the grader opens, closes and leaves unanswered, one run
// per state and then mixed runs. One scenario, because its runs are judged by more than one
// check: exit-codes judges the runs of reports-open, reports-closed, reports-error and
// argument-order, and argument-order uses the unanswered port made during reports-timeout.
import { scenario } from '../lesson.ts';
import { exitCodesCheck } from './exit-codes.ts';
import { mixedCheck } from './mixed.ts';
import { onePortChecks } from './one-port.ts';
import type { Ports } from './session.ts';
import { silentServerChecks } from './silent-server.ts';
import { timeoutCheck } from './timeout.ts';

export const ports = scenario('ports the grader opens, closes and leaves unanswered', (): Ports => ({}), [
  ...onePortChecks,
  ...silentServerChecks,
  timeoutCheck,
  mixedCheck,
  exitCodesCheck,
]);
