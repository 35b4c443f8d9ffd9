import { describe, expect, it } from 'vitest';
import { AwsError } from '../core/errors.ts';
import { isLastFiring, nextFiring, parseScheduleExpression } from './expression.ts';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const T = (text: string) => Date.parse(text);

/** The first `n` firings after `from`, as ISO strings. */
function firings(
  expression: string,
  zone: string,
  from: string,
  n: number,
  window: { anchor?: number; start?: number; end?: number } = {},
): Array<string | undefined> {
  const e = parseScheduleExpression(expression, zone);
  const out: Array<string | undefined> = [];
  let after = T(from);
  for (let i = 0; i < n; i++) {
    const next = nextFiring(e, {
      anchor: window.anchor ?? T(from),
      start: window.start,
      end: window.end,
      after,
    });
    out.push(iso(next));
    if (next === undefined) break;
    after = next;
  }
  return out;
}

describe('parseScheduleExpression', () => {
  // Recorded on AWS: LocalStack's tests/aws/services/scheduler/test_scheduler.snapshot.json
  // (tests_create_schedule_with_invalid_schedule_expression, recorded 2025-01-26).
  it.each([
    'cron(0 1 * * * *)',
    'cron(7 20 * * NOT *)',
    'cron(INVALID)',
    'cron(0 dummy ? * MON-FRI *)',
    'cron(71 8 1 * ? *)',
    'cron()',
    'rate(10 seconds)',
    'rate(10 years)',
    'rate()',
    'rate(10)',
    'rate(10 minutess)',
    'rate(foo minutes)',
    'rate(-10 minutes)',
    'rate( 10 minutes )',
    ' rate(10 minutes)',
    'at(2021-12-31T23:59:59Z)',
    'at(2021-12-31)',
  ])('refuses %s as AWS does (recorded)', (expression) => {
    expect(() => parseScheduleExpression(expression)).toThrow(
      new AwsError('ValidationException', `Invalid Schedule Expression ${expression}.`),
    );
  });

  it('takes rate units singular or plural, as the API reference lists them (minute | minutes | hour | hours | day | days)', () => {
    for (const e of ['rate(1 minute)', 'rate(1 minutes)', 'rate(5 minute)', 'rate(2 hours)', 'rate(1 day)'])
      expect(parseScheduleExpression(e).kind).toBe('rate');
  });

  it('refuses a date that does not exist in at()', () => {
    expect(() => parseScheduleExpression('at(2026-02-30T10:00:00)')).toThrow(
      'Invalid Schedule Expression at(2026-02-30T10:00:00).',
    );
    expect(() => parseScheduleExpression('at(2026-01-01T24:00:00)')).toThrow('Invalid Schedule Expression');
  });

  it('refuses a time zone the IANA database does not know', () => {
    expect(() => parseScheduleExpression('rate(1 hour)', 'Mars/Olympus_Mons')).toThrow(
      new AwsError(
        'ValidationException',
        'Invalid ScheduleExpressionTimezone Mars/Olympus_Mons: use an IANA time zone name, such as Europe/Paris or America/New_York.',
      ),
    );
  });
});

describe('nextFiring', () => {
  it('fires at() once, at that wall-clock time in the zone', () => {
    expect(firings('at(2026-11-21T10:00:00)', 'Europe/Paris', '2026-11-21T08:00:00Z', 2)).toEqual([
      '2026-11-21T09:00:00.000Z',
      undefined,
    ]);
    expect(firings('at(2026-11-21T10:00:00)', 'UTC', '2026-11-21T08:00:00Z', 1)).toEqual([
      '2026-11-21T10:00:00.000Z',
    ]);
    // Already past: nothing left to fire.
    expect(firings('at(2026-11-21T10:00:00)', 'UTC', '2026-11-21T11:00:00Z', 1)).toEqual([undefined]);
  });

  it('starts a rate at its anchor ("starts invoking the target immediately"), then every period', () => {
    const created = T('2026-11-21T10:00:20Z');
    expect(firings('rate(5 minutes)', 'UTC', '2026-11-21T10:00:19Z', 3, { anchor: created })).toEqual([
      '2026-11-21T10:00:20.000Z',
      '2026-11-21T10:05:20.000Z',
      '2026-11-21T10:10:20.000Z',
    ]);
  });

  it('counts a rate in absolute time: rate(1 day) stays 24 hours apart across a DST change', () => {
    // Europe/Paris goes to summer time on 2026-03-29: the local time moves, the interval does not.
    expect(
      firings('rate(1 day)', 'Europe/Paris', '2026-03-28T07:59:00Z', 3, {
        anchor: T('2026-03-28T08:00:00Z'),
      }),
    ).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T08:00:00.000Z', '2026-03-30T08:00:00.000Z']);
  });

  it('reads cron on the zone clock: 09:00 Paris is 08:00Z in winter and 07:00Z in summer', () => {
    expect(firings('cron(0 9 * * ? *)', 'Europe/Paris', '2026-03-28T00:00:00Z', 3)).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  // "When the time shifts forward in Spring, your schedule invocation gets skipped if the cron
  // expression falls on a non-existent date and time. When the time shifts back in the Fall,
  // your schedule runs only once and doesn't repeat its invocation."
  // https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#daylist-savings-time
  it('skips a cron time that does not exist when clocks go forward (New York, 2026-03-08 02:30)', () => {
    expect(firings('cron(30 2 * * ? *)', 'America/New_York', '2026-03-07T00:00:00Z', 3)).toEqual([
      '2026-03-07T07:30:00.000Z',
      '2026-03-09T06:30:00.000Z',
      '2026-03-10T06:30:00.000Z',
    ]);
  });

  it('fires a cron time that happens twice when clocks go back only once (New York, 2026-11-01 01:30)', () => {
    expect(firings('cron(30 1 * * ? *)', 'America/New_York', '2026-10-31T00:00:00Z', 3)).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
    // Every 30 minutes through the night of the change: the repeated hour (EST 01:00, 01:30) is not fired again.
    expect(firings('cron(0/30 * * * ? *)', 'America/New_York', '2026-11-01T04:59:00Z', 5)).toEqual([
      '2026-11-01T05:00:00.000Z', // 01:00 EDT
      '2026-11-01T05:30:00.000Z', // 01:30 EDT
      '2026-11-01T07:00:00.000Z', // 02:00 EST
      '2026-11-01T07:30:00.000Z',
      '2026-11-01T08:00:00.000Z',
    ]);
  });

  it('keeps recurring firings within StartDate and before EndDate', () => {
    const start = T('2026-11-21T10:07:00Z');
    const end = T('2026-11-21T10:20:00Z');
    expect(firings('cron(0/5 * * * ? *)', 'UTC', '2026-11-21T10:00:00Z', 5, { start, end })).toEqual([
      '2026-11-21T10:10:00.000Z',
      '2026-11-21T10:15:00.000Z',
      undefined,
    ]);
    // A rate with a StartDate counts from it.
    expect(firings('rate(10 minutes)', 'UTC', '2026-11-21T10:00:00Z', 2, { anchor: start, start })).toEqual([
      '2026-11-21T10:07:00.000Z',
      '2026-11-21T10:17:00.000Z',
    ]);
  });

  it('ignores StartDate and EndDate for a one-time schedule, as AWS does', () => {
    const e = parseScheduleExpression('at(2026-11-21T12:00:00)');
    expect(
      iso(
        nextFiring(e, {
          after: T('2026-11-21T10:00:00Z'),
          anchor: 0,
          start: T('2026-11-22T00:00:00Z'),
          end: T('2026-11-21T11:00:00Z'),
        }),
      ),
    ).toBe('2026-11-21T12:00:00.000Z');
  });

  it('knows the last firing of a schedule', () => {
    const at = parseScheduleExpression('at(2026-11-21T12:00:00)');
    expect(isLastFiring(at, { anchor: 0 }, T('2026-11-21T12:00:00Z'))).toBe(true);
    const cron = parseScheduleExpression('cron(0 * * * ? *)');
    expect(isLastFiring(cron, { anchor: 0, end: T('2026-11-21T12:30:00Z') }, T('2026-11-21T12:00:00Z'))).toBe(
      true,
    );
    expect(isLastFiring(cron, { anchor: 0, end: T('2026-11-21T13:30:00Z') }, T('2026-11-21T12:00:00Z'))).toBe(
      false,
    );
  });
});
