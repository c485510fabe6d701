import type { LessonChecks } from './check.ts';

// Being written: lesson 06-looking-at-sockets's checks.
export const lookingAtSocketsChecks: LessonChecks = () => [];
