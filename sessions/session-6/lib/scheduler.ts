import { DeleteScheduleCommand, ListSchedulesCommand, SchedulerClient, type CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import type { NextTick } from '../functions/nextTime/handler.ts';
import { EVENT_SOURCE, SCHEDULE_TICK } from './eventbridge.ts';
import type { Schedule } from './schedule.ts';

/**
 * The second design of the scheduler (part 2): each tick is an EventBridge Scheduler one-time
 * schedule, `at(...)`, whose target is our bus. It puts the `Schedule Tick` event itself, and
 * deletes itself once it has fired; scheduleNext, on that tick, creates the one after.
 */

/** One Scheduler client for the whole sandbox, created once. The environment gives it its region. */
export const scheduler = new SchedulerClient({});

/** What a tick of this design carries, besides the schedule's id: whose tick it is, and which. */
export interface SchedulerTick {
  id: string;
  /** The token of the Start that began this chain: scheduleNext ends a chain that is not the table's any more. */
  token: string;
  next: NextTick & { at: string };
}

function env(name: string, value: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: give the function \`environment: { ${name}: ${value} }\` in serverless.ts.`);
  return v;
}

/** Where the tick schedules live, given to the function by serverless.ts (`TICK_SCHEDULE_GROUP`). */
export const tickScheduleGroup = () => env('TICK_SCHEDULE_GROUP', "{ Ref: 'TickScheduleGroup' }");
/** The bus the ticks go to, by ARN: a schedule's target is an ARN (`EVENT_BUS_ARN`). */
export const eventBusArn = () => env('EVENT_BUS_ARN', "{ 'Fn::GetAtt': ['DojoEventBus', 'Arn'] }");
/** The role Scheduler takes to put a tick on the bus (`TICK_ROLE_ARN`). */
export const tickRoleArn = () => env('TICK_ROLE_ARN', "{ 'Fn::GetAtt': ['TickSchedulerRole', 'Arn'] }");

/** The one-time schedule expression of an instant: `at(2026-11-21T10:05:00)`, a wall-clock time read in ScheduleExpressionTimezone. */
export function atExpression(time: string | Date): string {
  // toISOString is UTC, to the millisecond, with a Z: at() takes the seconds, and no zone at all.
  return `at(${new Date(time).toISOString().slice(0, 19)})`;
}

/**
 * The name of tick `n` of a Start: its token first, so that every pending tick of a Start is
 * found by that prefix (ListSchedules' NamePrefix), and a name never comes back (a name must
 * be unique in its group until the schedule is deleted).
 */
export function tickScheduleName(token: string, n: number): string {
  return `${token}-${n}`;
}

/** Half of IsOver (the other half: no next time): tick n may go out while n ≤ limit. */
export function pastLimit(schedule: Schedule, next: NextTick): boolean {
  return schedule.limit !== undefined && next.n > schedule.limit;
}

/** The CreateSchedule request of one tick: once, at its time, onto the bus, then gone. */
export function tickSchedule(schedule: Schedule, next: NextTick & { at: string }): CreateScheduleCommandInput {
  const tick: SchedulerTick = { id: schedule.id, token: schedule.token, next };
  return {
    Name: tickScheduleName(schedule.token, next.n),
    GroupName: tickScheduleGroup(),
    ScheduleExpression: atExpression(next.at),
    // at() has no zone of its own: say that its time is UTC, rather than rely on the default.
    ScheduleExpressionTimezone: 'UTC',
    // On time: a flexible window would let Scheduler pick any moment within it.
    FlexibleTimeWindow: { Mode: 'OFF' },
    // A one-time schedule is kept after it fires unless told otherwise: delete it, or they pile up.
    ActionAfterCompletion: 'DELETE',
    Target: {
      Arn: eventBusArn(),
      RoleArn: tickRoleArn(),
      EventBridgeParameters: { Source: EVENT_SOURCE, DetailType: SCHEDULE_TICK },
      // The event's detail.
      Input: JSON.stringify(tick),
    },
  };
}

/** Deletes the pending tick schedules of one Start (there is one at most, between two ticks). */
export async function cancelTicks(token: string): Promise<string[]> {
  const GroupName = tickScheduleGroup();
  const page = await scheduler.send(new ListSchedulesCommand({ GroupName, NamePrefix: `${token}-` }));
  const names = (page.Schedules ?? []).map((s) => s.Name!).filter(Boolean);
  for (const Name of names) {
    try {
      await scheduler.send(new DeleteScheduleCommand({ Name, GroupName }));
    } catch (error) {
      // It fired, and deleted itself, since the list: nothing left to cancel.
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
  }
  return names;
}
