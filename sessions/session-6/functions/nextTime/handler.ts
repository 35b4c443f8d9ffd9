import { nextCronTime, parseDuration, type Schedule } from '../../lib/schedule.ts';

/** The next tick of a schedule: its number (1 for the first) and when, or `at: null` when there is none. */
export interface NextTick {
  at: string | null;
  n: number;
}

/** What the scheduler state machine hands the NextTime state: the schedule, and the tick before (none at first). */
export interface SchedulerState extends Schedule {
  next?: NextTick;
}

export function planNextTick(state: SchedulerState): NextTick {
  const n = (state.next?.n ?? 0) + 1;
  // Count from the tick before, not from now: a tick sent a little late never delays the next.
  const after = new Date(state.next?.at ?? state.startedAt);
  if (state.duration !== undefined) {
    // A duration ticks once.
    return n === 1 ? { at: new Date(after.getTime() + parseDuration(state.duration)).toISOString(), n } : { at: null, n };
  }
  if (state.cron === undefined) throw new Error(`Schedule ${state.id} has neither a cron nor a duration.`);
  return { at: nextCronTime(state.cron, after).toISOString(), n };
}

/** The NextTime state: its result goes to `$.next`, where WaitUntilNext reads `$.next.at`. */
export const main = async (state: SchedulerState): Promise<NextTick> => planNextTick(state);
