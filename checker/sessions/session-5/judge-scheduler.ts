/**
 * The verdicts of session 5's part 2, where the same Schedule Start / Tick / Stop contract is
 * met with EventBridge Scheduler one-time schedules: the fixes of the verdicts the two designs
 * share (judge.ts tells them with the same words), why a chain of schedules stays silent, and
 * the two checks of its own: each at() names the right moment, and each schedule is gone once it
 * has fired.
 */
import type { CheckResult } from '../../core/result.ts';
import { fail, pass, skip } from '../../core/result.ts';
import { secondsOrMinutes, startOf } from './ticks.ts';
import type { Observation, TickScheduleSeen } from './observe.ts';
import { clock, cronTimes, CRON_TOLERANCE_MS, type DesignSchedules } from './scenario.ts';

/** A fix: what to do, and under which TODO. */
export interface Fix {
  hint: string;
  todo: number;
}

/** How one design is judged: its schedules, its check ids and titles, and the fixes of its verdicts. */
export interface Way {
  schedules: DesignSchedules;
  /** How late a tick may go out: a second for the state machine's Wait, a minute for Scheduler. */
  lateMs: number;
  /** That precision, in the cron verdict's title. */
  precision: string;
  /** The ids of its verdicts, written out (npm run lint:course finds a check by its id). */
  ids: Record<'cron' | 'limit' | 'duration' | 'stop' | 'restart', string>;
  title(text: string): string;
  silence(scheduleId: string, id: string, title: string): CheckResult;
  /** Why the ticks after the first may be missing, when the design can tell (a Lambda of its loop failed). */
  broken(): { observed: string; hint: string; todo: number } | undefined;
  fix: Record<
    | 'waitFirst'
    | 'shifted'
    | 'limitFewer'
    | 'limitMore'
    | 'limitIgnored'
    | 'limitTimes'
    | 'durationOnce'
    | 'afterStopGone'
    | 'restartOld'
    | 'restartOther',
    Fix
  >;
}

/**
 * "All schedule types on EventBridge Scheduler invoke their targets with 60 second precision":
 * a tick due at 10:05 goes out between 10:05:00 and 10:05:59
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html). The local cloud
 * fires on the second; the verdicts accept what AWS may do.
 */
const SCHEDULER_PRECISION_MS = 60_000;

/** The TODOs of part 2. */
const TODO = { at: 12, tick: 13, start: 14, next: 15, stop: 16, resources: 17, wiring: 18 } as const;

export const PART_2 = (o: Observation): Way => ({
  schedules: o.scenario.designs.scheduler,
  lateMs: SCHEDULER_PRECISION_MS,
  precision: "each within the minute of its time (Scheduler's 60-second precision)",
  ids: {
    cron: 's5.scheduler-cron',
    limit: 's5.scheduler-limit',
    duration: 's5.scheduler-duration',
    stop: 's5.scheduler-stop',
    restart: 's5.scheduler-restart',
  },
  title: (text) => `${text} (via EventBridge Scheduler)`,
  silence: (sid, id, title) => schedulerSilence(o, sid, id, title),
  broken: () => {
    const failures = o.nextFailures ?? [];
    if (!failures.length) return undefined;
    const denied = failures.find((f) => /AccessDenied|not authorized/.test(f));
    return {
      observed: `scheduleNext failed ${failures.length} times, and each failure ends a chain: ${denied ?? failures[0]}`,
      ...(denied
        ? {
            hint: 'Allow the action it names in provider.iam.role.statements: dynamodb:GetItem on ScheduleTable, scheduler:CreateSchedule on the schedules of your group, iam:PassRole on TickSchedulerRole.',
            todo: TODO.wiring,
          }
        : {
            hint: 'Run npm run dev and send a Schedule Start with "via": "scheduler": the trace shows scheduleNext\'s error and its logs.',
            todo: TODO.next,
          }),
    };
  },
  fix: {
    waitFirst: {
      hint: "The first tick schedule is at the cron's first time after the Start: planNextTick(schedule), whose at goes into at().",
      todo: TODO.start,
    },
    shifted: {
      hint: 'The ticks are shifted: at() names a wall-clock time in ScheduleExpressionTimezone. Write the UTC time (toISOString, to the second, without its Z) and say ScheduleExpressionTimezone: "UTC".',
      todo: TODO.at,
    },
    limitFewer: {
      hint: 'Tick n may go out while n ≤ limit: scheduleNext ends the chain when the next n is greater than the limit (pastLimit), not when it equals it.',
      todo: TODO.next,
    },
    limitMore: {
      hint: 'scheduleNext must not create the schedule of tick limit + 1: end the chain when pastLimit(schedule, next). Is n counted from 1?',
      todo: TODO.next,
    },
    limitIgnored: {
      hint: 'scheduleNext ends the chain, creating no schedule, when the next tick has no time or is past the limit (pastLimit).',
      todo: TODO.next,
    },
    limitTimes: {
      hint: "Each tick schedule is at a time of the cron: scheduleNext plans from the tick that just went out (the tick's next), with planNextTick.",
      todo: TODO.next,
    },
    durationOnce: {
      hint: 'A duration ticks once: after its tick, planNextTick answers { at: null }, and scheduleNext creates no other schedule.',
      todo: TODO.next,
    },
    afterStopGone: {
      hint: "A tick schedule already created fires whatever the table says: stopSchedule deletes the schedule's pending tick schedule too (cancelTicks(Item.token)) before it deletes the item.",
      todo: TODO.stop,
    },
    restartOld: {
      hint: "startSchedule cancels the pending tick of the Start it replaces (cancelTicks(previous.token)), and scheduleNext ends a chain whose token is not the table's.",
      todo: TODO.start,
    },
    restartOther: {
      hint: 'The second Start replaces the item (a new token) and creates the first tick schedule of its own chain.',
      todo: TODO.start,
    },
  },
});

/** Why a schedule of part 2 never ticked. */
export function schedulerSilence(o: Observation, scheduleId: string, id: string, title: string): CheckResult {
  if (o.putErrors.length)
    return fail(id, title, {
      observed: `the bus refused the checker's events: ${o.putErrors[0]}`,
      hint: 'Keep DojoEventBus from session 4.',
      todo: TODO.start,
    });
  if (o.startFailures?.length) {
    const denied = o.startFailures.find((f) => /AccessDenied|not authorized/.test(f));
    const expression = o.startFailures.find((f) => /Schedule Expression/.test(f));
    return fail(id, title, {
      observed: `no tick for ${scheduleId}: startSchedule failed: ${denied ?? expression ?? o.startFailures[0]}`,
      ...(denied
        ? {
            hint: 'Allow the action it names in provider.iam.role.statements: scheduler:CreateSchedule and scheduler:DeleteSchedule on your group\'s schedules, scheduler:ListSchedules on "*", iam:PassRole on TickSchedulerRole.',
            todo: TODO.wiring,
          }
        : expression
          ? {
              hint: 'atExpression gives at(yyyy-mm-ddThh:mm:ss): to the second, with no Z and no milliseconds.',
              todo: TODO.at,
            }
          : {
              hint: 'Run npm run dev and send a Schedule Start with "via": "scheduler": the trace shows the error and the logs.',
              todo: TODO.start,
            }),
    });
  }
  const seen = o.tickSchedules.afterStarts.filter((t) => t.id === scheduleId);
  const errors = o.schedulerErrors ?? [];
  if (errors.length) {
    const e = errors[0];
    return fail(id, title, {
      observed: `no tick for ${scheduleId}: EventBridge Scheduler could not deliver tick schedule ${e.schedule}: ${e.error}`,
      hint: "Scheduler puts the tick as TickSchedulerRole: its trust policy lets scheduler.amazonaws.com assume it, and its policy allows events:PutEvents on DojoEventBus ({ 'Fn::GetAtt': ['DojoEventBus', 'Arn'] }); the target's RoleArn is that role (TICK_ROLE_ARN).",
      todo: TODO.resources,
    });
  }
  if (o.tickSchedules.readError)
    return fail(id, title, {
      observed: `no tick for ${scheduleId}, and the checker could not read the tick schedules: ${o.tickSchedules.readError}`,
      hint: 'Declare TickScheduleGroup (AWS::Scheduler::ScheduleGroup) in resources/scheduler.ts.',
      todo: TODO.resources,
    });
  if (seen.length === 0)
    return fail(id, title, {
      observed: `no tick for ${scheduleId}, and no tick schedule was created for it`,
      hint: 'For a Start with "via": "scheduler", startSchedule creates the first tick schedule: CreateScheduleCommand(tickSchedule(schedule, next)), with next = planNextTick(schedule).',
      todo: TODO.start,
    });
  const fires = firesAt(seen[0]);
  if (fires !== undefined && fires > o.end)
    return fail(id, title, {
      observed: `no tick for ${scheduleId}: its first tick schedule ${seen[0].name} is ${seen[0].expression} in ${seen[0].timezone ?? 'UTC, the default'}, which is ${clock(fires)} UTC, after the check's end (${clock(o.end)})`,
      hint: 'at() is a wall-clock time read in ScheduleExpressionTimezone: see s5.scheduler-time.',
      todo: TODO.at,
    });
  return fail(id, title, {
    observed: `no tick for ${scheduleId}: its tick schedule ${seen[0].name} is ${seen[0].expression}${seen[0].timezone ? ` in ${seen[0].timezone}` : ''}, and it never put a tick on the bus`,
    hint: "The target is the bus by ARN (EVENT_BUS_ARN), with EventBridgeParameters { Source: 'dojo-serverless', DetailType: 'Schedule Tick' } and the tick as its Input.",
    todo: TODO.tick,
  });
}

/** Each tick schedule names the right moment: at() is a wall-clock time, read in ScheduleExpressionTimezone. */
export function schedulerTime(o: Observation): CheckResult {
  const id = 's5.scheduler-time';
  const title =
    'Each tick schedule fires at its tick\'s time: at() in UTC, with ScheduleExpressionTimezone "UTC" (via EventBridge Scheduler)';
  const d = o.scenario.designs.scheduler;
  // The times each cron schedule of part 2 ticks at, from its Start: tick n is the n-th.
  const due = new Map<string, number[]>([
    [d.every.id, cronTimes(d.every.cron, startOf(o, d.every.id), o.end)],
    [d.limit.id, cronTimes(d.limit.cron, startOf(o, d.limit.id), o.end)],
    [d.restart.id, cronTimes(d.restart.first, startOf(o, d.restart.id), o.end)],
  ]);
  const seen = o.tickSchedules.afterStarts.filter((t) => due.has(t.id));
  if (seen.length === 0) return skip(id, title, 'no tick schedule was created (TODO 14)');
  for (const t of seen) {
    const fires = firesAt(t);
    const at = due.get(t.id)![t.n - 1];
    if (fires === undefined)
      return fail(id, title, {
        observed: `${t.id}'s tick schedule ${t.name} is ${t.expression}: not a one-time at(yyyy-mm-ddThh:mm:ss)`,
        hint: "atExpression gives at(...) of the tick's time: `at(${new Date(time).toISOString().slice(0, 19)})`.",
        todo: TODO.at,
      });
    if (at === undefined) continue;
    const off = fires - at;
    if (Math.abs(off) <= CRON_TOLERANCE_MS) continue;
    const zone = t.timezone ?? 'UTC, the default';
    const wholeHours = Math.abs(off) % 900_000 === 0;
    return fail(id, title, {
      observed: `${t.id}'s tick ${t.n} is due at ${clock(at)} UTC, but its tick schedule is ${t.expression} in ${zone}: it fires at ${clock(fires)} UTC, ${secondsOrMinutes(Math.abs(off))} ${off > 0 ? 'late' : 'early'}${wholeHours ? ' (a time written in one zone, read in another)' : ''}`,
      expected: `${atOf(at)} with ScheduleExpressionTimezone "UTC"`,
      ...(wholeHours
        ? {
            hint: 'at() has no zone of its own: Scheduler reads its time in ScheduleExpressionTimezone (UTC when it is left out). Write the UTC time, new Date(time).toISOString().slice(0, 19), not a local one, and say ScheduleExpressionTimezone: "UTC" in tickSchedule.',
            todo: TODO.at,
          }
        : {
            hint: "The tick schedule's time is the tick's: at() of next.at, planned by planNextTick.",
            todo: TODO.start,
          }),
    });
  }
  return pass(id, title);
}

/** A one-time schedule that has fired is deleted (ActionAfterCompletion DELETE), not left to pile up. */
export function schedulerCleanup(o: Observation): CheckResult {
  const id = 's5.scheduler-cleanup';
  const title = 'Each tick schedule deletes itself once it has fired (via EventBridge Scheduler)';
  if (o.tickSchedules.afterStarts.length === 0 && o.tickSchedules.atEnd.length === 0)
    return skip(id, title, 'no tick schedule was created (TODO 14)');
  const fired = o.tickSchedules.atEnd.filter((t) => {
    const at = firesAt(t);
    return at !== undefined && at <= o.end;
  });
  if (!fired.length) return pass(id, title);
  const e = fired[0];
  return fail(id, title, {
    observed: `${fired.length} tick schedules that have fired are still in group ${e.group} at the end (e.g. ${e.name}, ${e.expression}, ActionAfterCompletion ${e.actionAfterCompletion ?? 'NONE'})`,
    expected: 'no tick schedule left once it has fired',
    hint: "A one-time schedule is kept after it fires unless it says ActionAfterCompletion: 'DELETE' (tickSchedule): they pile up, one a tick, against the account's quota of schedules.",
    todo: TODO.tick,
  });
}

/** When a tick schedule fires (epoch ms), or undefined when it is not an at(). */
function firesAt(t: TickScheduleSeen): number | undefined {
  const m = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(t.expression);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  return wallToInstant(Date.UTC(y, mo - 1, d, h, mi, s), t.timezone ?? 'UTC');
}

/** The instant a wall-clock reading (as if UTC, epoch ms) names in a time zone. */
function wallToInstant(wall: number, zone: string): number | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    return undefined;
  }
  const wallOf = (instant: number) => {
    const p = Object.fromEntries(format.formatToParts(instant).map((x) => [x.type, x.value]));
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  };
  // Two turns settle the zone's offset at that moment (once more across a DST change).
  let instant = wall - (wallOf(wall) - wall);
  instant = wall - (wallOf(instant) - instant);
  return instant;
}

/** at(2026-12-01T10:05:00): the expression of an instant in UTC, for messages. */
function atOf(ms: number): string {
  return `at(${new Date(ms).toISOString().slice(0, 19)})`;
}
