/** Waiting on real time, whatever a virtual clock does: settledWithin's three answers. */
import { describe, expect, it } from 'vitest';
import { realSleep, settledWithin } from './real-time.ts';

describe('settledWithin', () => {
  it('is true for work that settles in time, a rejection included, and never throws', async () => {
    expect(await settledWithin(realSleep(5), 1000)).toBe(true);
    expect(await settledWithin(Promise.reject(new Error('gone')), 1000)).toBe(true);
  });

  it('is false once the time is up, without waiting for the work (this one never settles)', async () => {
    expect(await settledWithin(new Promise(() => {}), 50)).toBe(false);
  });
});
