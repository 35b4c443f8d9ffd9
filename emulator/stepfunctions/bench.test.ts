import { describe, expect, it } from 'vitest';
import { benchWaitingExecutions } from './bench.ts';

describe('benchWaitingExecutions', () => {
  // The figures for 10 000 executions are in bench.ts (a measurement, not an assertion);
  // this only checks the bench itself runs, on a small n.
  it('holds executions in their Wait state and then runs them all to the end', async () => {
    const result = await benchWaitingExecutions(300, 600);
    expect(result.executions).toBe(300);
    expect(result.succeeded).toBe(300);
    expect(result.heapWaitingMb).toBeGreaterThan(0);
  });
});
