// Every lesson over IPv6: HOST=::1 for the programs, and the grader's own peers, servers and
// proxies on ::1 too. A program that hard-codes IPv4 ('udp4', '127.0.0.1') fails here.
import { describe, expect, it } from 'vitest';
import { findLesson } from '../lessons/course.ts';
import { gradeLesson } from '../grader/grade.ts';
import { solutionsRoot } from '../grader/paths.ts';
import { describe as describeResult } from './helpers/grade.ts';

describe('grading over IPv6', () => {
  it.concurrent.each(['1', '2', '3', '4', '5', '6', '7', '8'])('passes the lesson %s solution with HOST=::1', { timeout: 120_000 }, async (name) => {
    const result = await gradeLesson({ lesson: findLesson(name), root: solutionsRoot, seed: 6, ipv6: true });
    expect(result.host).toBe('::1');
    expect(result.status, describeResult(result)).toBe('pass');
  });
});
