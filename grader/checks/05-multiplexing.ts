import type { LessonChecks } from './check.ts';

// Being written: lesson 05-multiplexing's checks.
export const multiplexingChecks: LessonChecks = () => [];
