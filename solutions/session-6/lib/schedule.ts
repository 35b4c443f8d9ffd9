import { CronExpressionParser } from 'cron-parser';

/**
 * Schedules as the dojo's scheduler understands them: a `Schedule Start` event asks for one,
 * with a standard five-field cron (`*\/5 * * * *`) or a duration (`5m`), and maybe a limit.
 */

/** What a `Schedule Start` event asks for (its detail), once checked. */
export interface ScheduleRequest {
  id: string;
  /** Standard five-field cron, in UTC: minute hour day-of-month month day-of-week. */
  cron?: string;
  /** One tick after this long: `30s`, `5m`, `1h`, `2d`. */
  duration?: string;
  /** At most this many ticks. */
  limit?: number;
  /**
   * Which design ticks it: `stepfunctions` (the default, part 1: one state machine execution
   * per schedule) or `scheduler` (part 2: a chain of EventBridge Scheduler one-time schedules).
   */
  via?: ScheduleDesign;
}

/** The two designs of the scheduler, as a Start names them in `via`. */
export const SCHEDULE_DESIGNS = ['stepfunctions', 'scheduler'] as const;
export type ScheduleDesign = (typeof SCHEDULE_DESIGNS)[number];

/** A running schedule, as the schedule table keeps it and the scheduler state machine gets it. */
export interface Schedule extends ScheduleRequest {
  /** Unique to one Start: a loop whose token is not the table's any more has been replaced. */
  token: string;
  /** When the Start happened, ISO 8601 in UTC: ticks are counted from here. */
  startedAt: string;
}

/** A request we refuse: its message says what is wrong, in words a game master understands. */
export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

/** Milliseconds in one of each unit a duration may use. */
export const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30s`, `5m`, `1h`, `2d` in milliseconds; a ScheduleError for anything else. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  if (!match) throw new ScheduleError(`"${text}" is not a duration: write a whole number and a unit, like 30s, 5m, 1h or 2d.`);
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms <= 0) throw new ScheduleError(`A duration must be more than nothing, not "${text}".`);
  return ms;
}

/** The first time of a five-field cron strictly after `after`, in UTC; a ScheduleError for a bad cron. */
export function nextCronTime(cron: string, after: Date): Date {
  const fields = cron.trim().split(/\s+/);
  // cron-parser also takes six fields (seconds first): an AWS-style cron would be misread, not refused.
  if (fields.length !== 5) {
    throw new ScheduleError(`"${cron}" has ${fields.length} fields; a cron has five: minute hour day-of-month month day-of-week, like "*/5 * * * *".`);
  }
  try {
    // Lambda's clock is UTC, but say so: the schedule must not depend on where the code runs.
    return CronExpressionParser.parse(cron, { currentDate: after, tz: 'UTC' }).next().toDate();
  } catch (err) {
    throw new ScheduleError(`"${cron}" is not a valid cron: ${(err as Error).message}.`);
  }
}

/** The detail of a `Schedule Start` event, checked; a ScheduleError says what is wrong with it. */
export function readScheduleRequest(detail: unknown): ScheduleRequest {
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    throw new ScheduleError('A Schedule Start needs a detail like { "id": "outbreak:every-5", "cron": "*/5 * * * *" }.');
  }
  const { id, cron, duration, limit, via } = detail as Record<string, unknown>;
  if (typeof id !== 'string' || id.trim() === '') throw new ScheduleError('A schedule needs an "id": a name such as "outbreak:every-5".');
  if ((cron === undefined) === (duration === undefined)) {
    throw new ScheduleError(`Schedule ${id} needs a "cron" or a "duration": one of the two.`);
  }
  const request: ScheduleRequest = { id };
  if (cron !== undefined) {
    if (typeof cron !== 'string') throw new ScheduleError(`Schedule ${id}: "cron" is text, like "*/5 * * * *".`);
    nextCronTime(cron, new Date());
    request.cron = cron.trim();
  }
  if (duration !== undefined) {
    if (typeof duration !== 'string') throw new ScheduleError(`Schedule ${id}: "duration" is text, like "5m".`);
    parseDuration(duration);
    request.duration = duration.trim();
  }
  if (limit !== undefined) {
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
      throw new ScheduleError(`Schedule ${id}: "limit" is a whole number of ticks, 1 or more, not ${JSON.stringify(limit)}.`);
    }
    request.limit = limit;
  }
  if (via !== undefined) {
    if (!SCHEDULE_DESIGNS.includes(via as ScheduleDesign)) {
      throw new ScheduleError(`Schedule ${id}: "via" is "stepfunctions" (the default) or "scheduler", not ${JSON.stringify(via)}.`);
    }
    request.via = via as ScheduleDesign;
  }
  return request;
}

/** The id a refused request gave, if it gave one, so the refusal can name it. */
export function requestedId(detail: unknown): string | undefined {
  const id = (detail as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id.trim() !== '' ? id : undefined;
}
