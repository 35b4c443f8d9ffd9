import { describe, it, expect } from 'vitest';
import { main, planNextTick, type SchedulerState } from '../functions/nextTime/handler.ts';

const cron: SchedulerState = { id: 'outbreak:every-5', cron: '*/5 * * * *', token: 't1', startedAt: '2026-11-21T10:02:30Z' };
const duration: SchedulerState = { id: 'test:duration-5m', duration: '5m', token: 't2', startedAt: '2026-11-21T10:02:30Z' };

describe('nextTime (the NextTime state)', () => {
  it('plans tick 1 at the first time of the cron after the Start', () => {
    expect(planNextTick(cron)).toEqual({ at: '2026-11-21T10:05:00.000Z', n: 1 });
  });

  it('plans each next tick from the tick before, not from now', () => {
    const second = planNextTick({ ...cron, next: { at: '2026-11-21T10:05:00.000Z', n: 1 } });
    expect(second).toEqual({ at: '2026-11-21T10:10:00.000Z', n: 2 });
    expect(planNextTick({ ...cron, next: second })).toEqual({ at: '2026-11-21T10:15:00.000Z', n: 3 });
  });

  it('plans a duration once, when it is over, then nothing', () => {
    const first = planNextTick(duration);
    expect(first).toEqual({ at: '2026-11-21T10:07:30.000Z', n: 1 });
    expect(planNextTick({ ...duration, next: first })).toEqual({ at: null, n: 2 });
  });

  it('answers a timestamp the Wait state can read (RFC 3339, UTC)', async () => {
    const { at } = await main(cron);
    expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });
});
