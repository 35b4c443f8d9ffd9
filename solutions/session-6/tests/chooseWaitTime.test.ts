import { afterEach, describe, it, expect, vi } from 'vitest';
import { chooseWaitTime, main } from '../functions/chooseWaitTime/handler.ts';

const DRAWS = 10_000;

describe('chooseWaitTime', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it(`gives whole numbers from 1 to 60, every one of them, over ${DRAWS} draws`, () => {
    const draws = Array.from({ length: DRAWS }, () => chooseWaitTime());
    expect(draws.filter((seconds) => !Number.isInteger(seconds))).toEqual([]);
    expect(Math.min(...draws)).toBe(1);
    expect(Math.max(...draws)).toBe(60);
    // With 10 000 fair draws, missing one of the 60 values has a chance of about 1 in 10^71.
    expect(new Set(draws).size).toBe(60);
  });

  it('reaches both ends: 1 when Math.random() gives 0, 60 when it gives almost 1', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(chooseWaitTime()).toBe(1);
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999_999);
    expect(chooseWaitTime()).toBe(60);
  });

  it('answers { numberOfSeconds } for the WaitXSeconds state', async () => {
    const output = await main();
    expect(Object.keys(output)).toEqual(['numberOfSeconds']);
    expect(Number.isInteger(output.numberOfSeconds)).toBe(true);
    expect(output.numberOfSeconds).toBeGreaterThanOrEqual(1);
    expect(output.numberOfSeconds).toBeLessThanOrEqual(60);
  });
});
