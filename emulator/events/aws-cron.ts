/**
 * The AWS dialect of cron, as EventBridge rules take it: six fields
 *
 *   minutes hours day-of-month month day-of-week year
 *
 * with `, - * /` everywhere but day-of-week (no `/`), `?` in exactly one of the two day
 * fields, day-of-week 1-7 = SUN-SAT (not Unix's 0-6), `L` (last day of the month; in
 * day-of-week alone, Saturday; `6L` the last Friday), `W` (`15W` the weekday nearest the
 * 15th, within the month), `#` (`6#3` the third Friday, alone in its field), names JAN-DEC
 * and SUN-SAT, years 1970-2199, all in UTC.
 *
 * This module parses and validates the fields and computes firings: cron-parser does the
 * calendar arithmetic on a translation of the fields (explicit value lists, Unix
 * day-of-week numbers); the year field and `W`, which it lacks, are applied here as filters.
 */
import { CronExpressionParser, type CronExpression } from 'cron-parser';

export interface CronFields {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: DaysOfMonth;
  readonly months: readonly number[];
  readonly daysOfWeek: DaysOfWeek;
  /** Undefined for every year. */
  readonly years: readonly number[] | undefined;
}

export type DaysOfMonth =
  | { readonly kind: 'any' }
  | { readonly kind: 'days'; readonly days: readonly number[] }
  | { readonly kind: 'last' }
  | { readonly kind: 'nearest-weekday'; readonly day: number };

/** Days of week in AWS numbering: 1 = Sunday ... 7 = Saturday. */
export type DaysOfWeek =
  | { readonly kind: 'any' }
  | { readonly kind: 'days'; readonly days: readonly number[] }
  | { readonly kind: 'last'; readonly day: number }
  | { readonly kind: 'nth'; readonly day: number; readonly nth: number };

/** The fields of `cron(...)`'s body, or undefined when AWS would refuse them. */
export function parseCronFields(body: string): CronFields | undefined {
  const parts = body.split(/ +/);
  if (parts.length !== 6) return undefined;
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = parts;
  const minutes = parseList(minute, MINUTES);
  const hours = parseList(hour, HOURS);
  const months = parseList(month, MONTHS);
  const years = year === '*' ? undefined : parseList(year, YEARS);
  if (!minutes || !hours || !months || (year !== '*' && !years)) return undefined;
  // One day field, and only one, must be "?".
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) return undefined;
  const daysOfMonth = dayOfMonth === '?' ? ({ kind: 'any' } as const) : parseDaysOfMonth(dayOfMonth);
  const daysOfWeek = dayOfWeek === '?' ? ({ kind: 'any' } as const) : parseDaysOfWeek(dayOfWeek);
  if (!daysOfMonth || !daysOfWeek) return undefined;
  return { minutes, hours, daysOfMonth, months, daysOfWeek, years };
}

/** The first firing strictly after `afterMs`, or undefined when there is none (up to 2199). */
export function nextCronTime(fields: CronFields, afterMs: number): number | undefined {
  if (neverFires(fields)) return undefined;
  const expression = compiled(fields);
  let cursor = afterMs;
  // Each turn either returns or moves the cursor to a later month or year: this bound is
  // never reached by a schedule that fires before 2200.
  for (let turn = 0; turn < 12 * 240 * 3; turn++) {
    const candidate = nextAfter(expression, cursor);
    if (candidate === undefined) return undefined;
    const date = new Date(candidate);
    const year = date.getUTCFullYear();
    if (year > YEARS.max) return undefined;
    if (fields.years && !fields.years.includes(year)) {
      const nextYear = fields.years.find((allowed) => allowed > year);
      if (nextYear === undefined) return undefined;
      cursor = Date.UTC(nextYear, 0, 1) - 1;
      continue;
    }
    if (fields.daysOfMonth.kind === 'nearest-weekday') {
      const month = date.getUTCMonth();
      const target = nearestWeekday(year, month, fields.daysOfMonth.day);
      if (target === undefined || date.getUTCDate() > target) {
        cursor = Date.UTC(year, month + 1, 1) - 1;
        continue;
      }
      if (date.getUTCDate() < target) {
        cursor = Date.UTC(year, month, target) - 1;
        continue;
      }
    }
    return candidate;
  }
  return undefined;
}

interface FieldRange {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MINUTES: FieldRange = { min: 0, max: 59 };
const HOURS: FieldRange = { min: 0, max: 23 };
const DAYS: FieldRange = { min: 1, max: 31 };
const MONTHS: FieldRange = {
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
const WEEKDAYS: FieldRange = { min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] };
const YEARS: FieldRange = { min: 1970, max: 2199 };

function parseDaysOfMonth(text: string): DaysOfMonth | undefined {
  if (text === 'L') return { kind: 'last' };
  const weekday = /^(\d{1,2})W$/.exec(text);
  if (weekday) {
    const day = Number(weekday[1]);
    return day >= DAYS.min && day <= DAYS.max ? { kind: 'nearest-weekday', day } : undefined;
  }
  const days = parseList(text, DAYS);
  return days && { kind: 'days', days };
}

function parseDaysOfWeek(text: string): DaysOfWeek | undefined {
  if (text === 'L') return { kind: 'days', days: [7] };
  const last = /^([A-Za-z]{3}|\d)L$/.exec(text);
  if (last) {
    const day = parseValue(last[1], WEEKDAYS);
    return day === undefined ? undefined : { kind: 'last', day };
  }
  const nth = /^([A-Za-z]{3}|\d)#(\d)$/.exec(text);
  if (nth) {
    const day = parseValue(nth[1], WEEKDAYS);
    const which = Number(nth[2]);
    return day === undefined || which < 1 || which > 5 ? undefined : { kind: 'nth', day, nth: which };
  }
  // Day-of-week takes no increments.
  if (text.includes('/')) return undefined;
  const days = parseList(text, WEEKDAYS);
  return days && { kind: 'days', days };
}

/** A comma list of `*`, values, ranges and increments, as the sorted set of its values. */
function parseList(text: string, range: FieldRange): number[] | undefined {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const itemValues = parseItem(item, range);
    if (!itemValues) return undefined;
    for (const value of itemValues) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

function parseItem(item: string, range: FieldRange): number[] | undefined {
  const [span, stepText, ...rest] = item.split('/');
  if (rest.length > 0) return undefined;
  const step = stepText === undefined ? 1 : parseNumber(stepText);
  if (step === undefined || step < 1 || step > range.max) return undefined;
  let sequence: number[];
  if (span === '*') {
    sequence = between(range.min, range.max, range);
  } else {
    const bounds = span.split('-');
    if (bounds.length > 2) return undefined;
    const start = parseValue(bounds[0], range);
    if (start === undefined) return undefined;
    if (bounds.length === 2) {
      const end = parseValue(bounds[1], range);
      if (end === undefined) return undefined;
      sequence = between(start, end, range);
    } else {
      // "5/15" runs from 5 to the end of the field; a bare value is just itself.
      sequence = stepText === undefined ? [start] : between(start, range.max, range);
    }
  }
  return sequence.filter((_, index) => index % step === 0);
}

// A range may wrap around the end of the field, as in Quartz: FRI-MON, 22-2.
function between(start: number, end: number, range: FieldRange): number[] {
  const values: number[] = [];
  for (let value = start; ; value = value === range.max ? range.min : value + 1) {
    values.push(value);
    if (value === end) return values;
  }
}

function parseValue(text: string, range: FieldRange): number | undefined {
  const named = range.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return range.min + named;
  const value = parseNumber(text);
  return value !== undefined && value >= range.min && value <= range.max ? value : undefined;
}

function parseNumber(text: string): number | undefined {
  return /^\d{1,4}$/.test(text) ? Number(text) : undefined;
}

// Quartz's rule: Saturday moves back to Friday, Sunday on to Monday, without leaving the
// month (1W on a Saturday is Monday the 3rd; a last-day Sunday is the Friday before).
function nearestWeekday(year: number, month: number, day: number): number | undefined {
  const last = daysIn(year, month);
  if (day > last) return undefined;
  const weekday = new Date(Date.UTC(year, month, day)).getUTCDay();
  if (weekday === 6) return day === 1 ? 3 : day - 1;
  if (weekday === 0) return day === last ? day - 2 : day + 1;
  return day;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

// Explicit days that no selected month has (30 FEB) never come; cron-parser refuses them.
function neverFires(fields: CronFields): boolean {
  const longest = Math.max(...fields.months.map((month) => daysIn(2000, month - 1)));
  const dom = fields.daysOfMonth;
  if (dom.kind === 'days') return dom.days[0] > longest;
  if (dom.kind === 'nearest-weekday') return dom.day > longest;
  return false;
}

function nextAfter(expression: CronExpression, cursor: number): number | undefined {
  expression.reset(new Date(cursor));
  try {
    return expression.next().getTime();
  } catch {
    // cron-parser gives up on dates it cannot find within its own search limit.
    return undefined;
  }
}

const expressions = new WeakMap<CronFields, CronExpression>();

function compiled(fields: CronFields): CronExpression {
  let expression = expressions.get(fields);
  if (!expression) {
    expression = CronExpressionParser.parse(toUnixCron(fields), { tz: 'UTC' });
    expressions.set(fields, expression);
  }
  return expression;
}

/** cron-parser's six fields (seconds first, day-of-week 0-6 from Sunday). */
function toUnixCron(fields: CronFields): string {
  const dom = fields.daysOfMonth;
  const dayOfMonth = dom.kind === 'days' ? dom.days.join(',') : dom.kind === 'last' ? 'L' : '*';
  const dow = fields.daysOfWeek;
  let dayOfWeek = '*';
  if (dow.kind === 'days') dayOfWeek = dow.days.map((day) => day - 1).join(',');
  if (dow.kind === 'last') dayOfWeek = `${dow.day - 1}L`;
  if (dow.kind === 'nth') dayOfWeek = `${dow.day - 1}#${dow.nth}`;
  return [
    '0',
    fields.minutes.join(','),
    fields.hours.join(','),
    dayOfMonth,
    fields.months.join(','),
    dayOfWeek,
  ].join(' ');
}
