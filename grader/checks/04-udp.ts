import type { LessonChecks } from './check.ts';

// Being written: lesson 04-udp's checks.
export const udpChecks: LessonChecks = () => [];
