import { describe, expect, it } from 'vitest';
import { AwsError } from '../core/errors.ts';
import { nextFireTime, parseScheduleExpression } from './schedule.ts';

const ms = (iso: string): number => Date.parse(iso);
const iso = (time: number | undefined): string | undefined =>
  time === undefined ? undefined : new Date(time).toISOString().replace('.000Z', 'Z');

/** The next firings of `expression` after `from`, as ISO strings. */
function firings(expression: string, from: string, count = 1): Array<string | undefined> {
  const schedule = parseScheduleExpression(expression);
  const out: Array<string | undefined> = [];
  let after = ms(from);
  for (let i = 0; i < count; i++) {
    const next = nextFireTime(schedule, after);
    out.push(iso(next));
    if (next === undefined) break;
    after = next;
  }
  return out;
}

describe('parseScheduleExpression: what PutRule accepts', () => {
  it.each([
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(12 hours)',
    'rate(1 day)',
    'rate(7 days)',
    'cron(0 10 * * ? *)',
    'cron(15 12 * * ? *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 8 1 * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0/10 * ? * MON-FRI *)',
    'cron(0/5 8-17 ? * MON-FRI *)',
    'cron(0 9 ? * 2#1 *)',
    'cron(0 2 ? * SAT#3 *)',
    'cron(* * ? * SAT#3 *)',
    'cron(15 10 ? * 6L 2002-2005)',
    'cron(0/5 5 ? JAN 1-5 2022)',
    'cron(5,35 14 * * ? *)',
    'cron(0 0 L * ? *)',
    'cron(0 0 15W * ? *)',
    'cron(0 0 ? * L *)',
    'cron(0 12 * JAN-MAR/2 ? 2026/2)',
    'cron(0 22-2 * * ? *)',
  ])('accepts %s', (expression) => {
    expect(parseScheduleExpression(expression).expression).toBe(expression);
  });

  it.each([
    ['rate(1 minutes)', 'a value of 1 takes the singular'],
    ['rate(5 minute)', 'a value above 1 takes the plural'],
    ['rate(1 hours)', 'singular again'],
    ['rate(10 day)', 'plural again'],
    ['rate(0 minutes)', 'zero'],
    ['rate(-10 minutes)', 'a negative value'],
    ['rate(1.5 hours)', 'a fraction'],
    ['rate(10 seconds)', 'an unknown unit'],
    ['rate(10 years)', 'an unknown unit'],
    ['rate(10 MINUTES)', 'a unit in capitals'],
    ['rate(10 minutess)', 'a misspelt unit'],
    ['rate(foo minutes)', 'a value that is not a number'],
    ['rate()', 'nothing'],
    ['rate(10)', 'no unit'],
    ['rate( 10 minutes )', 'spaces inside the parentheses'],
    [' rate(10 minutes)', 'a space before'],
    ['cron(0 1 * * * *)', 'both day fields set: one must be ?'],
    ['cron(0 12 ? * ? *)', 'both day fields ?'],
    ['cron(0 12 * *)', 'four fields'],
    ['cron(0 12 * * ?)', 'five fields (Unix cron)'],
    ['cron(0 12 * * ? * *)', 'seven fields'],
    ['cron(INVALID)', 'one field'],
    ['cron(7 20 * * NOT *)', 'an unknown day name'],
    ['cron(0 dummy ? * MON-FRI *)', 'a word for an hour'],
    ['cron(71 8 1 * ? *)', 'minute 71'],
    ['cron(0 24 * * ? *)', 'hour 24'],
    ['cron(0 12 32 * ? *)', 'day 32'],
    ['cron(0 12 0 * ? *)', 'day 0'],
    ['cron(0 12 * 13 ? *)', 'month 13'],
    ['cron(0 12 ? * 0 *)', 'day-of-week 0: AWS counts 1-7 from Sunday'],
    ['cron(0 12 ? * 8 *)', 'day-of-week 8'],
    ['cron(0 12 * * ? 1969)', 'a year before 1970'],
    ['cron(0 12 * * ? 2200)', 'a year after 2199'],
    ['cron(0 12 ? * 3#1,6#3 *)', 'two # expressions'],
    ['cron(0 12 ? * 6#6 *)', 'a sixth Friday'],
    ['cron(0 12 ? * 6L,2 *)', 'L with other days'],
    ['cron(0 12 ? * 1/2 *)', 'an increment in day-of-week'],
    ['cron(0 12 L,15 * ? *)', 'L with other days of the month'],
    ['cron(0 12 32W * ? *)', 'W on day 32'],
    ['cron(0/0 * * * ? *)', 'an increment of 0'],
    ['cron(0 12 * ? ? *)', '? in the month'],
    ['cron(0 12 1 * ? * )', 'a trailing space'],
    ['at(2026-11-21T10:00:00)', 'a one-time schedule (EventBridge Scheduler only)'],
    ['', 'nothing'],
  ])('refuses %s (%s)', (expression) => {
    let error: unknown;
    try {
      parseScheduleExpression(expression);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AwsError);
    expect(error).toMatchObject({
      code: 'ValidationException',
      status: 400,
      message: 'Parameter ScheduleExpression is not valid.',
    });
  });

  it('refuses an expression longer than the API allows', () => {
    const long = `cron(0 12 * * ? ${'*'.repeat(260)})`;
    expect(() => parseScheduleExpression(long)).toThrow(
      `at 'scheduleExpression' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
  });
});

describe('nextFireTime: rate', () => {
  it('fires one period after the rule was created, then every period', () => {
    const schedule = parseScheduleExpression('rate(5 minutes)');
    const created = ms('2026-11-21T10:00:30Z');
    expect(iso(nextFireTime(schedule, created))).toBe('2026-11-21T10:05:30Z');
    expect(iso(nextFireTime(schedule, ms('2026-11-21T10:05:30Z'), created))).toBe('2026-11-21T10:10:30Z');
  });

  it('keeps to the grid of the creation time, whatever the moment asked about', () => {
    const schedule = parseScheduleExpression('rate(1 hour)');
    const created = ms('2026-11-21T10:20:00Z');
    expect(iso(nextFireTime(schedule, ms('2026-11-21T13:05:00Z'), created))).toBe('2026-11-21T13:20:00Z');
    expect(iso(nextFireTime(schedule, ms('2026-11-21T13:20:00Z'), created))).toBe('2026-11-21T14:20:00Z');
    expect(iso(nextFireTime(schedule, ms('2026-11-21T09:00:00Z'), created))).toBe('2026-11-21T11:20:00Z');
  });

  it('carries its period', () => {
    expect(parseScheduleExpression('rate(1 day)')).toMatchObject({
      kind: 'rate',
      value: 1,
      unit: 'day',
      periodMs: 86_400_000,
    });
  });
});

describe('nextFireTime: cron, in UTC', () => {
  it('runs at noon every day: cron(0 12 * * ? *)', () => {
    expect(firings('cron(0 12 * * ? *)', '2026-11-21T10:00:00Z', 2)).toEqual([
      '2026-11-21T12:00:00Z',
      '2026-11-22T12:00:00Z',
    ]);
    // Strictly after: asking at a firing gives the next one.
    expect(firings('cron(0 12 * * ? *)', '2026-11-21T12:00:00Z')).toEqual(['2026-11-22T12:00:00Z']);
  });

  it('runs at 8:00 on weekdays: cron(0 8 ? * MON-FRI *)', () => {
    // 2026-11-21 is a Saturday.
    expect(firings('cron(0 8 ? * MON-FRI *)', '2026-11-21T09:00:00Z', 6)).toEqual([
      '2026-11-23T08:00:00Z',
      '2026-11-24T08:00:00Z',
      '2026-11-25T08:00:00Z',
      '2026-11-26T08:00:00Z',
      '2026-11-27T08:00:00Z',
      '2026-11-30T08:00:00Z',
    ]);
  });

  it('runs every 15 minutes: cron(0/15 * * * ? *)', () => {
    expect(firings('cron(0/15 * * * ? *)', '2026-11-21T10:07:00Z', 4)).toEqual([
      '2026-11-21T10:15:00Z',
      '2026-11-21T10:30:00Z',
      '2026-11-21T10:45:00Z',
      '2026-11-21T11:00:00Z',
    ]);
    expect(firings('cron(5/20 * * * ? *)', '2026-11-21T10:00:00Z', 3)).toEqual([
      '2026-11-21T10:05:00Z',
      '2026-11-21T10:25:00Z',
      '2026-11-21T10:45:00Z',
    ]);
  });

  it('counts days of the week from Sunday = 1', () => {
    expect(firings('cron(0 0 ? * 1 *)', '2026-11-21T10:00:00Z')).toEqual(['2026-11-22T00:00:00Z']);
    expect(firings('cron(0 0 ? * 7 *)', '2026-11-22T10:00:00Z')).toEqual(['2026-11-28T00:00:00Z']);
    expect(firings('cron(0 0 ? * SUN *)', '2026-11-21T10:00:00Z')).toEqual(['2026-11-22T00:00:00Z']);
  });

  it('runs on the last Friday of each month in 2026 and 2027 only: cron(15 10 ? * 6L 2026-2027)', () => {
    expect(firings('cron(15 10 ? * 6L 2026-2027)', '2026-11-21T00:00:00Z', 2)).toEqual([
      '2026-11-27T10:15:00Z',
      '2026-12-25T10:15:00Z',
    ]);
    expect(firings('cron(15 10 ? * 6L 2026-2027)', '2025-06-01T00:00:00Z')).toEqual(['2026-01-30T10:15:00Z']);
    expect(firings('cron(15 10 ? * 6L 2026-2027)', '2027-12-31T10:15:00Z')).toEqual([undefined]);
  });

  it('runs on the last day of the month: cron(0 0 L * ? *)', () => {
    expect(firings('cron(0 0 L * ? *)', '2026-11-21T00:00:00Z', 2)).toEqual([
      '2026-11-30T00:00:00Z',
      '2026-12-31T00:00:00Z',
    ]);
    expect(firings('cron(0 0 L 2 ? *)', '2027-03-01T00:00:00Z', 2)).toEqual([
      '2028-02-29T00:00:00Z',
      '2029-02-28T00:00:00Z',
    ]);
  });

  it('reads L alone in day-of-week as Saturday: cron(0 0 ? * L *)', () => {
    expect(firings('cron(0 0 ? * L *)', '2026-11-23T00:00:00Z')).toEqual(['2026-11-28T00:00:00Z']);
  });

  it('runs on the first Monday of the month: cron(0 9 ? * 2#1 *)', () => {
    expect(firings('cron(0 9 ? * 2#1 *)', '2026-11-21T00:00:00Z', 2)).toEqual([
      '2026-12-07T09:00:00Z',
      '2027-01-04T09:00:00Z',
    ]);
  });

  it('runs on the weekday nearest the 15th: cron(0 0 15W * ? *)', () => {
    // 15 Nov 2026 is a Sunday: Monday the 16th. 15 Aug 2026 is a Saturday: Friday the 14th.
    expect(firings('cron(0 0 15W * ? *)', '2026-11-01T00:00:00Z')).toEqual(['2026-11-16T00:00:00Z']);
    expect(firings('cron(0 0 15W * ? *)', '2026-08-01T00:00:00Z')).toEqual(['2026-08-14T00:00:00Z']);
    expect(firings('cron(0 0 15W * ? *)', '2026-12-01T00:00:00Z')).toEqual(['2026-12-15T00:00:00Z']);
  });

  it('keeps W inside the month', () => {
    // 1 Aug 2026 is a Saturday: Monday the 3rd, not Friday 31 July.
    expect(firings('cron(0 0 1W * ? *)', '2026-07-15T00:00:00Z')).toEqual(['2026-08-03T00:00:00Z']);
    // 31 May 2026 is a Sunday and the last day: Friday the 29th.
    expect(firings('cron(0 0 31W * ? *)', '2026-05-01T00:00:00Z')).toEqual(['2026-05-29T00:00:00Z']);
  });

  it('lets ranges wrap around the end of a field: cron(0 22-2 * * ? *)', () => {
    expect(firings('cron(0 22-2 * * ? *)', '2026-11-21T02:30:00Z', 4)).toEqual([
      '2026-11-21T22:00:00Z',
      '2026-11-21T23:00:00Z',
      '2026-11-22T00:00:00Z',
      '2026-11-22T01:00:00Z',
    ]);
  });

  it('waits for the years listed, and stops after them', () => {
    expect(firings('cron(0 0 1 1 ? 2030)', '2026-11-21T00:00:00Z', 2)).toEqual([
      '2030-01-01T00:00:00Z',
      undefined,
    ]);
    expect(firings('cron(0 12 * * ? 2002-2005)', '2026-11-21T00:00:00Z')).toEqual([undefined]);
  });

  it('never fires on a day no selected month has', () => {
    expect(firings('cron(0 0 30 FEB ? *)', '2026-11-21T00:00:00Z')).toEqual([undefined]);
  });
});
