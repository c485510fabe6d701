import { describe, expect, it } from 'vitest';
import { untilDoneOrStalled } from '../grader/run/deadline.ts';

describe('untilDoneOrStalled', () => {
  it('says done as soon as the condition holds, even while progress is still moving', async () => {
    let count = 0;
    const timer = setInterval(() => (count += 1), 5);
    try {
      expect(await untilDoneOrStalled(() => count >= 10, () => count, { deadlineMs: 10_000, stallMs: 5_000 })).toBe('done');
    } finally {
      clearInterval(timer);
    }
  });

  it('says stalled once progress stops moving, long before the deadline', async () => {
    let count = 0;
    const timer = setInterval(() => (count = Math.min(count + 1, 3)), 5);
    try {
      expect(await untilDoneOrStalled(() => false, () => count, { deadlineMs: 60_000, stallMs: 200 })).toBe('stalled');
    } finally {
      clearInterval(timer);
    }
    expect(count).toBe(3);
  });

  it('keeps waiting while progress moves, and says deadline when it runs out', async () => {
    let count = 0;
    const timer = setInterval(() => (count += 1), 5);
    try {
      expect(await untilDoneOrStalled(() => false, () => count, { deadlineMs: 300, stallMs: 200 })).toBe('deadline');
    } finally {
      clearInterval(timer);
    }
    expect(count).toBeGreaterThan(0);
  });
});
