// Lesson 5's one scenario: a single run of the line server serves every check, as a real
// server keeps running whatever its clients do. The order matters (see each file's head):
// one client first, then many, the floods, the disconnects, and the endings last.
import { scenario } from '../lesson.ts';
import { answersALine, answersLinesAsBytes, answersWholeLines } from './answers.ts';
import { respectsBackpressure, resumesAfterDrain, staysResponsive } from './backpressure.ts';
import { countsPerConnection, servesManyAtOnce } from './clients.ts';
import { survivesDisconnects } from './disconnects.ts';
import { oneDrainListener } from './drain-listeners.ts';
import { endsAfterHalfClose, leavesUnfinishedLine } from './ending.ts';
import type { OneServer } from './session.ts';

export const oneServer = scenario('one run of the server, many clients', (): OneServer => ({}), [
  answersALine,
  answersWholeLines,
  answersLinesAsBytes,
  countsPerConnection,
  servesManyAtOnce,
  respectsBackpressure,
  staysResponsive,
  resumesAfterDrain,
  survivesDisconnects,
  oneDrainListener,
  endsAfterHalfClose,
  leavesUnfinishedLine,
]);
