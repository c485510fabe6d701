// Lesson 4's retry-window judgement from the times the grader read each try: bursts of copies
// are told from a short timer however the load spreads them.
import { describe, expect, it } from 'vitest';
import { CheckFailure } from '../grader/checks/check.ts';
import { expectRetryWindow, readyToJudge } from '../grader/checks/04-udp/client-pacing.ts';

const tries = (times: readonly number[]) => times.map((at) => ({ text: 'msg 1', at }));

function diagnosisOf(times: readonly number[]): string | undefined {
  try {
    expectRetryWindow('client.ts', tries(times), (text) => text);
    return 'pass';
  } catch (error) {
    if (error instanceof CheckFailure) return error.facts.diagnosis?.id;
    throw error;
  }
}

describe('the retry window', () => {
  it('passes timers from 100 ms to 1 s', () => {
    expect(diagnosisOf([0, 150, 300, 450, 600, 750, 900])).toBe('pass');
    expect(diagnosisOf([0, 1000, 2001, 3001, 4002, 5002, 6003])).toBe('pass');
  });

  it('names bursts of copies, also when the load spreads each burst over a few milliseconds', () => {
    expect(diagnosisOf([0, 0.2, 0.3, 150, 150.1, 150.3, 300])).toBe('sends-bursts');
    expect(diagnosisOf([0, 7, 9, 150, 158, 161, 300])).toBe('sends-bursts');
  });

  it('names a short timer, also with one late read among its gaps', () => {
    expect(diagnosisOf([0, 20, 40, 60, 80, 100, 120])).toBe('retry-timer-too-short');
    expect(diagnosisOf([0, 35, 40, 60, 80, 100, 120])).toBe('retry-timer-too-short');
    expect(diagnosisOf([0, 50, 100, 150, 200, 250, 300])).toBe('retry-timer-too-short');
  });

  it('names bursts a client starved of CPU split in the middle', () => {
    expect(diagnosisOf([0, 0, 0, 200, 215, 215, 400, 400, 400, 600, 612])).toBe('sends-bursts');
  });

  it('names bursts of two copies, and bursts of which the grader read two at once', () => {
    expect(diagnosisOf([0, 0, 100, 100, 200, 200, 300, 300, 400, 400, 500])).toBe('sends-bursts');
    expect(diagnosisOf([0, 0, 0, 150, 150, 150, 150, 150, 150, 450, 450, 450])).toBe('sends-bursts');
  });

  it('names no wait at all, also stretched by a loaded machine, apart from a 10 ms timer', () => {
    expect(diagnosisOf([0, 1, 2, 3, 4, 5, 6])).toBe('retransmits-without-waiting');
    expect(diagnosisOf([0, 3, 7, 10, 14, 17, 21, 24, 28, 31, 35])).toBe('retransmits-without-waiting');
    expect(diagnosisOf([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100])).toBe('retry-timer-too-short');
  });

  it('names a backoff past 1 s, though its mean is under 1 s, and lets a 1 s timer run late twice', () => {
    expect(diagnosisOf([0, 200, 600, 1400, 2600, 3800, 5000, 6200, 7400, 8600, 9800])).toBe('backoff-past-1s');
    expect(diagnosisOf([0, 1000, 2300, 3300, 4300, 5300, 6600, 7600, 8600, 9600, 10600])).toBe('pass');
  });

  it('names a timer longer than 1 s', () => {
    expect(diagnosisOf([0, 1200, 2400, 3600, 4800, 6000, 7200])).toBe('retry-timer-too-long');
  });

  it('judges after ten gaps, or as soon as three passed the cap, with the same verdict as after ten', () => {
    expect(readyToJudge(tries([0, 150, 300, 450, 600, 750, 900, 1050, 1200, 1350]))).toBe(false);
    expect(readyToJudge(tries([0, 150, 300, 450, 600, 750, 900, 1050, 1200, 1350, 1500]))).toBe(true);
    // A 1 s timer late twice is not judged early.
    expect(readyToJudge(tries([0, 1000, 2300, 3300, 4300, 5600]))).toBe(false);
    const slow = [0, 1200, 2400, 3600];
    expect(readyToJudge(tries(slow))).toBe(true);
    expect(diagnosisOf(slow)).toBe('retry-timer-too-long');
    const backoff = [0, 200, 600, 1400, 2600, 3800, 5000];
    expect(readyToJudge(tries(backoff.slice(0, -1)))).toBe(false);
    expect(readyToJudge(tries(backoff))).toBe(true);
    expect(diagnosisOf(backoff)).toBe('backoff-past-1s');
  });
});
