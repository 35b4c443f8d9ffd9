import { describe, it, expect } from 'vitest';
import { nextCronTime, parseDuration, readScheduleRequest, requestedId, ScheduleError } from '../lib/schedule.ts';

const at = (iso: string) => new Date(iso);

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    [' 90s ', 90_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['5', 'm', '5 m', '5min', '1.5h', '-5m', '0s', '5 parsecs', ''])('refuses %j with a ScheduleError', (text) => {
    expect(() => parseDuration(text)).toThrow(ScheduleError);
  });
});

describe('nextCronTime', () => {
  it('gives the next time of the cron, in UTC', () => {
    expect(nextCronTime('*/5 * * * *', at('2026-11-21T10:02:30Z'))).toEqual(at('2026-11-21T10:05:00Z'));
    expect(nextCronTime('30 * * * *', at('2026-11-21T10:02:30Z'))).toEqual(at('2026-11-21T10:30:00Z'));
    expect(nextCronTime('0 9 * * 1-5', at('2026-11-21T10:00:00Z'))).toEqual(at('2026-11-23T09:00:00Z'));
  });

  it('gives a time strictly after the one it is given: from a tick, the next tick', () => {
    expect(nextCronTime('*/5 * * * *', at('2026-11-21T10:05:00Z'))).toEqual(at('2026-11-21T10:10:00Z'));
  });

  it.each([
    ['61 * * * *', 'a minute of 61'],
    ['every five minutes', 'words'],
    ['0/5 * * * ? *', "AWS's six fields"],
    ['* * * *', 'four fields'],
  ])('refuses %j (%s) with a ScheduleError', (cron) => {
    expect(() => nextCronTime(cron, at('2026-11-21T10:00:00Z'))).toThrow(ScheduleError);
  });
});

describe('readScheduleRequest', () => {
  it('takes a cron, a duration and a limit', () => {
    expect(readScheduleRequest({ id: 'outbreak:every-30', cron: '30 * * * *' })).toEqual({ id: 'outbreak:every-30', cron: '30 * * * *' });
    expect(readScheduleRequest({ id: 'test:duration-5m', duration: '5m' })).toEqual({ id: 'test:duration-5m', duration: '5m' });
    expect(readScheduleRequest({ id: 'outbreak:ten', cron: '* * * * *', limit: 10 })).toEqual({ id: 'outbreak:ten', cron: '* * * * *', limit: 10 });
  });

  it('takes the design that ticks it: Step Functions by default, or EventBridge Scheduler', () => {
    expect(readScheduleRequest({ id: 'outbreak:boss', cron: '*/5 * * * *', via: 'scheduler' })).toEqual({ id: 'outbreak:boss', cron: '*/5 * * * *', via: 'scheduler' });
    expect(readScheduleRequest({ id: 'outbreak:boss', duration: '5m', via: 'stepfunctions' })).toEqual({ id: 'outbreak:boss', duration: '5m', via: 'stepfunctions' });
  });

  it.each([
    ['no detail', undefined, /detail/],
    ['no id', { cron: '* * * * *' }, /id/],
    ['neither cron nor duration', { id: 'x' }, /cron.*duration/],
    ['both cron and duration', { id: 'x', cron: '* * * * *', duration: '5m' }, /one of the two/],
    ['a bad cron', { id: 'x', cron: '61 * * * *' }, /61/],
    ['a bad duration', { id: 'x', duration: '5 parsecs' }, /5 parsecs/],
    ['a limit of 0', { id: 'x', cron: '* * * * *', limit: 0 }, /limit/],
    ['a limit in words', { id: 'x', cron: '* * * * *', limit: 'ten' }, /limit/],
    ['an unknown design', { id: 'x', cron: '* * * * *', via: 'cron-job' }, /"via" is "stepfunctions" \(the default\) or "scheduler", not "cron-job"/],
  ])('refuses %s, saying why', (_what, detail, message) => {
    expect(() => readScheduleRequest(detail)).toThrow(ScheduleError);
    expect(() => readScheduleRequest(detail)).toThrow(message);
  });
});

describe('requestedId', () => {
  it('finds the id of a request, even a bad one', () => {
    expect(requestedId({ id: 'outbreak:x', cron: 'nonsense' })).toBe('outbreak:x');
    expect(requestedId({ cron: '* * * * *' })).toBeUndefined();
    expect(requestedId(null)).toBeUndefined();
  });
});
