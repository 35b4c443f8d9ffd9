/**
 * EventBridge Scheduler's schedule expressions, evaluated in a time zone on the virtual clock.
 *
 *   const e = parseScheduleExpression('cron(30 2 * * ? *)', 'America/New_York');
 *   nextFiring(e, { after: now, anchor: createdAt }); // the next 02:30 New York time, as epoch ms
 *
 * Three forms, as the Scheduler user guide describes them
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html):
 * - `at(yyyy-mm-ddThh:mm:ss)`: once, at that wall-clock time in the zone (no `Z`, no offset:
 *   AWS refuses `at(2021-12-31T23:59:59Z)`);
 * - `rate(value unit)`: unit minute(s), hour(s) or day(s), singular or plural; the first firing
 *   is the anchor itself (the StartDate, or the creation time when there is none: "your
 *   schedule starts invoking the target immediately"), then every period, in absolute time
 *   (a day is 24 hours, across a DST change too);
 * - `cron(minutes hours day-of-month month day-of-week year)`: the six-field AWS dialect of
 *   EventBridge rules (aws-cron.ts), read on the zone's clock. When clocks go forward, a time
 *   that does not exist that day is skipped; when they go back, a time that happens twice
 *   fires once, the first time.
 * Anything else is refused as AWS does: ValidationException "Invalid Schedule Expression <e>."
 */
import { AwsError } from '../core/errors.ts';
import { nextCronTime, parseCronFields, type CronFields } from '../events/aws-cron.ts';
import { fromWall, isTimeZone, toWall } from './zoned-time.ts';

export type ScheduleExpression =
  | { readonly kind: 'at'; readonly expression: string; readonly zone: string; readonly at: number }
  | { readonly kind: 'rate'; readonly expression: string; readonly zone: string; readonly periodMs: number }
  | {
      readonly kind: 'cron';
      readonly expression: string;
      readonly zone: string;
      readonly fields: CronFields;
    };

export const DEFAULT_TIME_ZONE = 'UTC';

export function parseScheduleExpression(
  expression: string,
  zone: string = DEFAULT_TIME_ZONE,
): ScheduleExpression {
  // AWS's wording for this one is not recorded: the local cloud says what to write instead.
  if (!isTimeZone(zone))
    throw new AwsError(
      'ValidationException',
      `Invalid ScheduleExpressionTimezone ${zone}: use an IANA time zone name, such as Europe/Paris or America/New_York.`,
    );
  const parsed = parseAt(expression, zone) ?? parseRate(expression, zone) ?? parseCron(expression, zone);
  if (!parsed) throw new AwsError('ValidationException', `Invalid Schedule Expression ${expression}.`);
  return parsed;
}

export interface FiringWindow {
  /** Firings strictly after this instant (epoch ms). */
  after: number;
  /** Where a rate counts from: the StartDate, or the time the schedule was created or updated. */
  anchor: number;
  /** No firing before (StartDate) or from (EndDate) these instants; one-time schedules ignore both. */
  start?: number;
  end?: number;
}

/** The next firing, or undefined when the schedule has none left. */
export function nextFiring(e: ScheduleExpression, w: FiringWindow): number | undefined {
  if (e.kind === 'at') return e.at > w.after ? e.at : undefined;
  const after = w.start !== undefined ? Math.max(w.after, w.start - 1) : w.after;
  const next =
    e.kind === 'rate' ? nextRate(e.periodMs, after, w.anchor) : nextCronInZone(e.fields, after, e.zone);
  return next !== undefined && (w.end === undefined || next < w.end) ? next : undefined;
}

/** Whether a firing at `at` is the last one: the schedule then completes (ActionAfterCompletion). */
export function isLastFiring(e: ScheduleExpression, w: Omit<FiringWindow, 'after'>, at: number): boolean {
  return nextFiring(e, { ...w, after: at }) === undefined;
}

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

function parseAt(expression: string, zone: string): ScheduleExpression | undefined {
  const m = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 2026-02-30 over into March: a real date reads back the same.
  const back = new Date(wall);
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return undefined;
  // A time skipped by a DST change happens an hour later (the clock reading after the jump).
  const at = fromWall(wall, zone) ?? fromWall(wall + 3_600_000, zone);
  return at === undefined ? undefined : { kind: 'at', expression, zone, at };
}

function parseRate(expression: string, zone: string): ScheduleExpression | undefined {
  const m = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (!m) return undefined;
  const value = Number(m[1]);
  if (!Number.isSafeInteger(value) || value < 1) return undefined;
  return { kind: 'rate', expression, zone, periodMs: value * UNIT_MS[m[2] as keyof typeof UNIT_MS] };
}

function parseCron(expression: string, zone: string): ScheduleExpression | undefined {
  const m = /^cron\((.*)\)$/.exec(expression);
  const fields = m ? parseCronFields(m[1]) : undefined;
  return fields && { kind: 'cron', expression, zone, fields };
}

function nextRate(periodMs: number, after: number, anchor: number): number {
  if (after < anchor) return anchor;
  return anchor + (Math.floor((after - anchor) / periodMs) + 1) * periodMs;
}

/** The next cron firing on the zone's clock (see the module comment for DST). */
function nextCronInZone(fields: CronFields, after: number, zone: string): number | undefined {
  let wallCursor = toWall(after, zone);
  // Each turn moves to a later wall-clock firing; skips happen only around DST changes.
  for (let turn = 0; turn < 1000; turn++) {
    const wall = nextCronTime(fields, wallCursor);
    if (wall === undefined) return undefined;
    const instant = fromWall(wall, zone);
    // Undefined: skipped by a spring-forward. Not after `after`: the repeated hour of a fall-back.
    if (instant !== undefined && instant > after) return instant;
    wallCursor = wall;
  }
  return undefined;
}
