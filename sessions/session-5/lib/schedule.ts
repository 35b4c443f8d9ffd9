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
  // TODO 2: read a whole number and a unit (s, m, h or d; UNIT_MS says how many ms each is worth),
  // spaces around allowed, and answer milliseconds. Throw a ScheduleError that says how to write
  // a duration for anything else, and for 0.
  throw new ScheduleError(`parseDuration cannot read "${text}" yet: TODO 2.`);
}

/** The first time of a five-field cron strictly after `after`, in UTC; a ScheduleError for a bad cron. */
export function nextCronTime(cron: string, after: Date): Date {
  // TODO 3: refuse anything but five fields (cron-parser would read six, seconds first), then
  // answer CronExpressionParser.parse(cron, { currentDate: after, tz: 'UTC' }).next() as a Date.
  // Turn cron-parser's errors into a ScheduleError that names the cron.
  throw new ScheduleError(`nextCronTime cannot read "${cron}" after ${after.toISOString()} yet: TODO 3.`);
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
