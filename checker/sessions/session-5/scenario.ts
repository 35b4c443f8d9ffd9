/**
 * What the session-5 check asks of the scheduler, and when: every schedule it starts, the
 * re-Start and the Stops, as offsets from the moment S of the first Start (5 s past a whole
 * minute; the others follow within that minute, so that no cron time falls on a Start). One deployment runs them all side by
 * side on the virtual clock: 80 virtual minutes, a few seconds of real time.
 *
 * Both designs run in the same story: part 1's schedules (a state machine execution each) and
 * part 2's (`via: 'scheduler'`, a chain of EventBridge Scheduler one-time schedules), with the
 * same crons, limit, duration, re-Start and Stop, each judged with the same verdicts.
 */
import { CronExpressionParser } from 'cron-parser';

export const SOURCE = 'dojo-serverless';
export const START = 'Schedule Start';
export const STOP = 'Schedule Stop';
export const TICK = 'Schedule Tick';
export const REJECTED = 'Schedule Rejected';

const MINUTE = 60_000;

export const LIMIT = { id: 'check:limit-5', cron: '* * * * *', limit: 5 } as const;
export const SHORT_DURATION = { id: 'check:duration-90s', duration: '90s' } as const;
export const OUTBREAK = { id: 'outbreak:check', duration: '2m', ms: 2 * MINUTE } as const;

/** The two designs of the scheduler, as a Start names them (`via`); part 1's is the default. */
export type Design = 'stepfunctions' | 'scheduler';
export const DESIGNS: readonly Design[] = ['stepfunctions', 'scheduler'];
/** The schedule ids of part 2 are part 1's with this in front of their name: check:scheduler:every. */
const SCHEDULER_PREFIX = 'check:scheduler:';

/** Starts the scheduler must refuse: what each is about, and where it is refused. */
export const INVALID: ReadonlyArray<{
  detail: Record<string, unknown>;
  about: string;
  todo: number;
  hint: string;
}> = [
  {
    detail: { id: 'check:bad-cron', cron: '61 * * * *' },
    about: 'a minute of 61',
    todo: 3,
    hint: 'nextCronTime turns the error of cron-parser into a ScheduleError.',
  },
  {
    detail: { id: 'check:aws-cron', cron: '0/5 * * * ? *' },
    about: "AWS's six-field cron",
    todo: 3,
    hint: 'cron-parser reads six fields as seconds first ("every 5 seconds"): nextCronTime must refuse anything but five fields.',
  },
  {
    detail: { id: 'check:bad-duration', duration: '5 parsecs' },
    about: 'a duration of "5 parsecs"',
    todo: 2,
    hint: 'parseDuration throws a ScheduleError for anything but a whole number and s, m, h or d.',
  },
  {
    detail: { id: 'check:both', cron: '*/5 * * * *', duration: '5m' },
    about: 'both a cron and a duration',
    todo: 4,
    hint: 'readScheduleRequest refuses it: startSchedule must stop there.',
  },
  {
    detail: { id: 'check:bad-limit', cron: '* * * * *', limit: 0 },
    about: 'a limit of 0',
    todo: 4,
    hint: 'readScheduleRequest refuses it: startSchedule must stop there.',
  },
  {
    detail: { cron: '*/5 * * * *' },
    about: 'no id',
    todo: 4,
    hint: 'readScheduleRequest refuses it: startSchedule must stop there.',
  },
];

/**
 * Between two of the first Starts (17 of them: 68 s, past the minute of S; none falls on a whole
 * minute, where a cron time would be). Apart, because a dozen cold starts at once would be slow
 * on a laptop.
 */
export const STAGGER_MS = 4000;
/** When the bad Starts are stopped (from S), in case one was accepted. */
export const CLEANUP_AFTER = 2 * MINUTE;

/**
 * The schedules and moments that depend on the check's configuration (session.json's
 * check.periods): locally an hour of "*\/5" on the virtual clock; on AWS, where minutes are
 * real, the same story in 14 minutes ("*\/2", a 6m duration, the Stops after 10 minutes).
 */
export interface Scenario {
  /** Part 1's schedules (via the state machine): the ones below. */
  every: { id: string; cron: string };
  durations: Array<{ id: string; duration: string; ms: number }>;
  restart: { id: string; first: string; second: string };
  /** The same story told to each design: part 1's schedules, and part 2's with their own ids. */
  designs: Record<Design, DesignSchedules>;
  /** Offsets from S. */
  restartAfter: number;
  stopAfter: number;
  /** After the Stops: longer than the longest period stopped, so a loop that goes on shows. */
  endAfter: number;
}

/** One design's schedules: ids, and the Start that begins each. */
export interface DesignSchedules {
  design: Design;
  /** Into the Start's detail: nothing for part 1 (the default), via: 'scheduler' for part 2. */
  via: Record<string, string>;
  every: { id: string; cron: string };
  limit: { id: string; cron: string; limit: number };
  durations: Array<{ id: string; duration: string; ms: number }>;
  restart: { id: string; first: string; second: string };
}

/** Part 2's id of a schedule of part 1: check:every → check:scheduler:every. */
function schedulerId(id: string): string {
  return SCHEDULER_PREFIX + id.replace(/^check:/, '');
}

function designSchedules(
  every: Scenario['every'],
  durations: Scenario['durations'],
  restart: Scenario['restart'],
): Record<Design, DesignSchedules> {
  return {
    stepfunctions: { design: 'stepfunctions', via: {}, every, limit: { ...LIMIT }, durations, restart },
    // Part 2 keeps its story short where the design does not change the verdict: one duration.
    scheduler: {
      design: 'scheduler',
      via: { via: 'scheduler' },
      every: { ...every, id: schedulerId(every.id) },
      limit: { ...LIMIT, id: schedulerId(LIMIT.id) },
      durations: [{ ...durations[0], id: schedulerId(durations[0].id) }],
      restart: { ...restart, id: schedulerId(restart.id) },
    },
  };
}

export function scenarioFor(periods: Record<string, number | string>, minutes: number): Scenario {
  const text = (name: string) => {
    const v = periods[name];
    if (typeof v !== 'string')
      throw new Error(`sessions/session-5/session.json: check.periods has no text "${name}"`);
    return v;
  };
  const min = (name: string) => {
    const v = periods[name];
    if (typeof v !== 'number')
      throw new Error(`sessions/session-5/session.json: check.periods has no number "${name}"`);
    return v * MINUTE;
  };
  const long = text('longDuration');
  const every = { id: 'check:every', cron: text('every') };
  const durations = [
    { ...SHORT_DURATION, ms: durationMs(SHORT_DURATION.duration) },
    { id: `check:duration-${long}`, duration: long, ms: durationMs(long) },
  ];
  const restart = { id: 'check:restart', first: text('restartFirst'), second: text('restartSecond') };
  return {
    every,
    durations,
    restart,
    designs: designSchedules(every, durations, restart),
    restartAfter: min('restartAfter'),
    stopAfter: min('stopAfter'),
    endAfter: minutes * MINUTE,
  };
}

/** "90s", "6m", "45m" in milliseconds: the scenario's own durations. */
function durationMs(text: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(text);
  if (!match) throw new Error(`the session-5 scenario's duration "${text}" is not like 90s, 6m or 1h`);
  return Number(match[1]) * { s: 1000, m: MINUTE, h: 60 * MINUTE }[match[2] as 's' | 'm' | 'h'];
}

/** How far a tick may be from its time. */
export const CRON_TOLERANCE_MS = 1000;
/**
 * A duration counts from the Start: the event's `time` (to the second) or the moment the Lambda
 * ran (a cold start later). Both are right; a few seconds late is allowed, early is not.
 */
export const DURATION_LATE_MS = 5000;
/** How long a refusal may take (a cold start included). */
export const REJECTION_WITHIN_MS = 30_000;
/** Ticks in the whole scenario, about 30; far more means a loop that does not wait. */
export const RUNAWAY_TICKS = 3000;
/** Ticks of one schedule within one second that mean a loop that does not wait. */
export const RUNAWAY_BURST = 50;

/** The times of a five-field cron in (from, to], in UTC: what the scheduler should tick. */
export function cronTimes(cron: string, from: number, to: number): number[] {
  const expression = CronExpressionParser.parse(cron, { currentDate: new Date(from), tz: 'UTC' });
  const out: number[] = [];
  for (;;) {
    const next = expression.next().getTime();
    if (next > to) return out;
    out.push(next);
  }
}

/** 10:05:00 (UTC), for messages. */
export function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}
