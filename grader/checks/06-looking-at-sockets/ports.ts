// Lesson 6's port scenarios. The first: one run per state of a port, open, closed, failing,
// silent and unanswered, then their exit codes, which exit-codes judges once every run ended.
// The second: twenty ports in one run and again after the grader flipped some, and that
// run's exit code. Apart, so the unanswered ports' waits overlap.
import { scenario } from '../lesson.ts';
import { exitCodesCheck, mixExitCodeCheck } from './exit-codes.ts';
import { mixedCheck } from './mixed.ts';
import { onePortChecks } from './one-port.ts';
import type { Ports, TwentyPorts } from './session.ts';
import { silentServerChecks } from './silent-server.ts';
import { timeoutCheck } from './timeout.ts';

export const ports = scenario('ports the grader opens, closes and leaves unanswered, one at a time', (): Ports => ({}), [
  ...onePortChecks,
  ...silentServerChecks,
  timeoutCheck,
  exitCodesCheck,
]);

export const twentyPorts = scenario('twenty ports in one run, then again after some flipped', (): TwentyPorts => ({}), [mixedCheck, mixExitCodeCheck]);
