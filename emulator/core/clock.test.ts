import { afterEach, describe, expect, it } from 'vitest';
import { parseDuration, VirtualClock } from './clock.ts';

describe('VirtualClock', () => {
  let clock: VirtualClock | undefined;
  afterEach(() => clock?.uninstall());

  it('drives the global Date and setTimeout', async () => {
    clock = new VirtualClock({ start: Date.UTC(2030, 0, 1) });
    expect(new Date().toISOString()).toBe('2030-01-01T00:00:00.000Z');
    const fired: number[] = [];
    setTimeout(() => fired.push(Date.now()), 30_000);
    await clock.advance(60_000);
    expect(fired).toEqual([Date.UTC(2030, 0, 1, 0, 0, 30)]);
    expect(clock.now()).toBe(Date.UTC(2030, 0, 1, 0, 1, 0));
  });

  it('fires its own timers set months ahead when they are due, not at once (beyond 2^31 - 1 ms)', async () => {
    clock = new VirtualClock({ start: 0 });
    const day = 86_400_000;
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock!.now()), 100 * day);
    const cancelled = clock.setTimeout(() => fired.push(-1), 60 * day);
    await clock.advance(30 * day);
    clock.clearTimeout(cancelled);
    await clock.advance(80 * day);
    expect(fired).toEqual([100 * day]);
  });

  it('stops at each timer so async work started there runs at that instant', async () => {
    clock = new VirtualClock({ start: 0 });
    const seen: Array<[string, number]> = [];
    setTimeout(async () => {
      await Promise.resolve();
      // Work started by a timer schedules more work: it must run at 10s + 5s, not later.
      setTimeout(() => seen.push(['second', Date.now()]), 5_000);
      seen.push(['first', Date.now()]);
    }, 10_000);
    await clock.advance(3_600_000);
    expect(seen).toEqual([
      ['first', 10_000],
      ['second', 15_000],
    ]);
  });

  it('does not jump while a hold is taken, and moves at real speed instead', async () => {
    clock = new VirtualClock({ start: 0 });
    const release = clock.hold();
    let fired = false;
    setTimeout(() => (fired = true), 60_000);
    const advancing = clock.advance(60_000);
    await new Promise((r) => setImmediate(r));
    expect(fired).toBe(false);
    expect(clock.now()).toBeLessThan(1_000);
    release();
    await advancing;
    expect(fired).toBe(true);
  });

  it('runs 24 virtual hours of minute timers in well under a second of work', async () => {
    clock = new VirtualClock({ start: 0 });
    let ticks = 0;
    setInterval(() => ticks++, 60_000);
    await clock.advance(24 * 3_600_000);
    expect(ticks).toBe(24 * 60);
  });

  it('parses durations learners write', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(() => parseDuration('5 minutes')).toThrow('write it like 30s, 5m, 1h or 250ms');
  });
});
