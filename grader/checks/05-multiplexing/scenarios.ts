// Lesson 5's scenarios, each a run of the line server that its checks' clients share, as a
// real server keeps running whatever its clients do. Within a scenario the order matters (see
// each file's head); the runs are apart so their waits overlap: one client then many, the
// flood, the disconnects, the short-line flood, the endings.
import { scenario } from '../lesson.ts';
import { answersALine, answersLinesAsBytes, answersWholeLines } from './answers.ts';
import { respectsBackpressure, resumesAfterDrain, staysResponsive } from './backpressure.ts';
import { countsPerConnection, servesManyAtOnce } from './clients.ts';
import { survivesDisconnects } from './disconnects.ts';
import { oneDrainListener } from './drain-listeners.ts';
import { endsAfterHalfClose, leavesUnfinishedLine } from './ending.ts';
import type { OneServer } from './session.ts';

const fresh = (): OneServer => ({});

export const scenarios = [
  scenario('one client, then many, of one run of the server', fresh, [answersALine, answersWholeLines, answersLinesAsBytes, countsPerConnection, servesManyAtOnce]),
  scenario('a client that sends without reading, beside one that waits', fresh, [respectsBackpressure, staysResponsive, resumesAfterDrain]),
  scenario('clients that vanish mid-line or reset', fresh, [survivesDisconnects]),
  scenario('a client that floods short lines without reading', fresh, [oneDrainListener]),
  scenario('clients that half-close', fresh, [endsAfterHalfClose, leavesUnfinishedLine]),
];
