// The concurrency gate the dry-run queue uses (limiter): requests started over time, a few in flight at once.
import { describe, expect, it } from 'vitest';
import { limiter } from './discovery.ts';

describe('limiter', () => {
  it('runs at most `limit` tasks at once, starts the waiting ones in order, and passes results and errors through', async () => {
    const slot = limiter(2);
    let inFlight = 0;
    let most = 0;
    const startedOrder: number[] = [];
    const task = (n: number) => async (): Promise<number> => {
      startedOrder.push(n);
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5 + (n % 3)));
      inFlight--;
      if (n === 3) throw new Error('task 3 failed');
      return n * 10;
    };
    const runs = [1, 2, 3, 4, 5, 6].map((n) => slot(task(n)));
    // One more, added while the others run.
    await new Promise((r) => setTimeout(r, 1));
    runs.push(slot(task(7)));
    const ended = await Promise.allSettled(runs);
    expect(most).toBe(2);
    expect(startedOrder).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(ended.map((e) => (e.status === 'fulfilled' ? e.value : (e.reason as Error).message))).toEqual([10, 20, 'task 3 failed', 40, 50, 60, 70]);
  });
});
