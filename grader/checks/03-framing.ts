import type { LessonChecks } from './check.ts';

// Being written: lesson 03-framing's checks.
export const framingChecks: LessonChecks = () => [];
