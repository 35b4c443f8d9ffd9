import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../core/clock.ts';
import { armDeadline, MAX_STRETCH } from './deadline.ts';

describe('armDeadline: a Lambda limit that a busy laptop does not break', () => {
  let clock: VirtualClock | undefined;
  afterEach(() => clock?.uninstall());

  const expiryAt = async (ms: number, load: () => number, cancelAt?: number) => {
    clock = new VirtualClock({ start: 0 });
    let expiredAt: number | undefined;
    const cancel = armDeadline(clock, ms, () => (expiredAt = clock!.now()), load);
    if (cancelAt !== undefined) {
      await clock.advance(cancelAt);
      cancel();
    }
    await clock.advance(120_000);
    return expiredAt;
  };

  it('is AWS limit to the millisecond on a quiet machine', async () => {
    expect(await expiryAt(10_000, () => 0.3)).toBe(10_000);
  });

  it('stretches by the overload when the limit comes due on a busy machine', async () => {
    expect(await expiryAt(10_000, () => 2.5)).toBe(25_000);
  });

  it('reads the load again when the stretched limit comes due (the load fell meanwhile)', async () => {
    const loads = [3, 1.2];
    expect(await expiryAt(10_000, () => loads.shift() ?? 1)).toBe(30_000);
  });

  it(`stretches at most ${MAX_STRETCH} times`, async () => {
    expect(await expiryAt(10_000, () => 40)).toBe(10_000 * MAX_STRETCH);
  });

  it('never fires once cancelled, stretched or not', async () => {
    expect(await expiryAt(10_000, () => 3, 15_000)).toBeUndefined();
  });
});
