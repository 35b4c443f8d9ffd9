/**
 * Schedule expressions of EventBridge rules, `rate(...)` and `cron(...)`, in virtual time.
 *
 *   const schedule = parseScheduleExpression('cron(0 8 ? * MON-FRI *)');
 *   nextFireTime(schedule, Date.parse('2026-11-20T09:00:00Z')); // Mon 23 Nov 08:00 UTC, in ms
 *
 * `parseScheduleExpression` refuses what PutRule refuses, with AWS's ValidationException
 * "Parameter ScheduleExpression is not valid.":
 * - `rate(value unit)`: a positive whole value, unit minute(s), hour(s) or day(s), singular
 *   for 1 and plural above (`rate(1 minutes)` and `rate(5 minute)` are refused), one space,
 *   nothing else in the parentheses;
 * - `cron(minutes hours day-of-month month day-of-week year)`: the AWS dialect (see
 *   aws-cron.ts): six fields, one of the day fields `?`, values in range.
 *
 * `nextFireTime(schedule, afterMs, anchorMs)` is the first firing strictly after `afterMs`,
 * or undefined when the schedule never fires again (a cron whose years are over).
 * - cron: wall-clock minutes in UTC; `anchorMs` is ignored.
 * - rate: AWS starts the rate when the rule is created, so firings are `anchorMs + k × period`
 *   for k ≥ 1, where `anchorMs` is the rule's creation time; the first firing is one period
 *   after creation. `anchorMs` defaults to `afterMs`, so asking again right after a firing
 *   gives the next one without remembering the anchor.
 */
import { AwsError } from '../core/errors.ts';
import { nextCronTime, parseCronFields, type CronFields } from './aws-cron.ts';

export type Schedule = RateSchedule | CronSchedule;

export interface RateSchedule {
  readonly kind: 'rate';
  readonly expression: string;
  readonly value: number;
  readonly unit: 'minute' | 'hour' | 'day';
  readonly periodMs: number;
}

export interface CronSchedule {
  readonly kind: 'cron';
  readonly expression: string;
  readonly fields: CronFields;
}

export type { CronFields } from './aws-cron.ts';

export function parseScheduleExpression(expr: string): Schedule {
  if (expr.length > MAX_LENGTH) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${expr}' at 'scheduleExpression' failed to satisfy constraint: Member must have length less than or equal to ${MAX_LENGTH}`,
    );
  }
  const schedule = parseRate(expr) ?? parseCron(expr);
  if (!schedule) throw new AwsError('ValidationException', 'Parameter ScheduleExpression is not valid.');
  return schedule;
}

export function nextFireTime(
  schedule: Schedule,
  afterMs: number,
  anchorMs: number = afterMs,
): number | undefined {
  if (schedule.kind === 'cron') return nextCronTime(schedule.fields, afterMs);
  const periods = Math.max(1, Math.floor((afterMs - anchorMs) / schedule.periodMs) + 1);
  return anchorMs + periods * schedule.periodMs;
}

const MAX_LENGTH = 256;

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

function parseRate(expr: string): RateSchedule | undefined {
  const match = /^rate\((\d+) (minute|hour|day)(s?)\)$/.exec(expr);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2] as keyof typeof UNIT_MS;
  const plural = match[3] === 's';
  if (!Number.isSafeInteger(value) || value < 1 || plural !== value > 1) return undefined;
  return { kind: 'rate', expression: expr, value, unit, periodMs: value * UNIT_MS[unit] };
}

function parseCron(expr: string): CronSchedule | undefined {
  const match = /^cron\((.*)\)$/.exec(expr);
  const fields = match ? parseCronFields(match[1]) : undefined;
  return fields && { kind: 'cron', expression: expr, fields };
}
