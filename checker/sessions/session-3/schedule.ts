/**
 * Schedule expressions as EventBridge reads them: valid or not (and then which rule is
 * broken, in AWS's own terms), and how often they fire.
 */
import { nextFireTime, parseScheduleExpression } from '../../../emulator/index.ts';

export const EVERY_MINUTE = 'rate(1 minute) or cron(* * * * ? *)';

/** Why EventBridge refuses `expr`, or undefined when it accepts it. */
export function refusal(expr: string): string | undefined {
  try {
    parseScheduleExpression(expr);
    return undefined;
  } catch {
    return explain(expr);
  }
}

const COUNT = ['none', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];

/** The schedule expressions written in a service's serverless.ts, as they appear in the source. */
export function writtenSchedules(source: string): string[] {
  return [...source.matchAll(/schedule:\s*(['"`])((?:rate|cron)\([^'"`]*\))\1/g)].map((m) => m[2]);
}

function explain(expr: string): string {
  const rate = /^rate\((.*)\)$/.exec(expr);
  if (rate) {
    const m = /^(\d+) (\w+?)(s?)$/.exec(rate[1].trim());
    if (!m) return 'a rate is rate(value unit): a whole number, one space, and minute(s), hour(s) or day(s)';
    const [, value, unit, plural] = m;
    if (!['minute', 'hour', 'day'].includes(unit))
      return `the unit must be minute(s), hour(s) or day(s), not ${unit}${plural}: EventBridge schedules go down to one minute, no further`;
    if (Number(value) < 1) return 'the value must be a whole number from 1';
    if (Number(value) === 1 && plural)
      return `the unit is singular for 1: rate(1 ${unit}), not rate(1 ${unit}s)`;
    if (Number(value) > 1 && !plural)
      return `the unit is plural above 1: rate(${value} ${unit}s), not rate(${value} ${unit})`;
    return 'a rate is rate(value unit): one space between them, nothing else';
  }
  const cron = /^cron\((.*)\)$/.exec(expr);
  if (cron) {
    const fields = cron[1].trim().split(/ +/);
    if (fields.length !== 6)
      return `AWS's cron has six fields (minutes hours day-of-month month day-of-week year): you wrote ${COUNT[fields.length] ?? fields.length}${fields.length === 5 ? ' (Unix cron has no year field; add one: cron(* * * * ? *) is every minute)' : ''}`;
    const [, , dom, , dow] = fields;
    if ((dom === '?') === (dow === '?'))
      return `one of day-of-month and day-of-week must be ? ("whichever"), and only one: here they are ${dom} and ${dow}; every minute is cron(* * * * ? *)`;
    if (dow !== '?' && /(^|[,-])0($|[,-/#L])/.test(dow))
      return "day-of-week runs 1-7 for SUN-SAT (not Unix cron's 0-6)";
    return 'a field has a value out of its range (minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT, year 1970-2199)';
  }
  return 'a schedule is rate(value unit) or cron(six fields)';
}

/** The intervals between the first firings of a valid expression, in ms, from a fixed instant. */
export function intervals(expr: string, count = 10): number[] {
  const schedule = parseScheduleExpression(expr);
  const start = Date.UTC(2026, 10, 23, 9, 0, 0);
  const times: number[] = [];
  let t: number | undefined = start;
  for (let i = 0; i <= count && t !== undefined; i++) {
    t = nextFireTime(schedule, t, start);
    if (t !== undefined) times.push(t);
  }
  return times.slice(1).map((x, i) => x - times[i]);
}

export function everyMinute(expr: string): boolean {
  const gaps = intervals(expr);
  return gaps.length > 0 && gaps.every((g) => g === 60_000);
}

/** "every 5 minutes", "every hour", or the first firings: how often a valid expression fires. */
export function describeFrequency(expr: string): string {
  const gaps = intervals(expr);
  if (gaps.length && gaps.every((g) => g === gaps[0])) {
    const g = gaps[0];
    if (g % 86_400_000 === 0) return g === 86_400_000 ? 'once a day' : `every ${g / 86_400_000} days`;
    if (g % 3_600_000 === 0) return g === 3_600_000 ? 'once an hour' : `every ${g / 3_600_000} hours`;
    return g === 60_000 ? 'every minute' : `every ${g / 60_000} minutes`;
  }
  return `at irregular intervals (${gaps.slice(0, 4).map(gap).join(', ')}, …)`;
}

const gap = (ms: number) =>
  ms % 86_400_000 === 0
    ? `${ms / 86_400_000} d`
    : ms % 3_600_000 === 0
      ? `${ms / 3_600_000} h`
      : `${ms / 60_000} min`;
