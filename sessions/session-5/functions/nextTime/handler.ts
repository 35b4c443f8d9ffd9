import type { Schedule } from '../../lib/schedule.ts';

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
  // TODO 6: the tick after state.next (tick 1 when there is none yet): n one more than state.next.n, and
  // its time counted from the tick before (state.next.at), or from state.startedAt for the first.
  // A cron: nextCronTime. A duration: startedAt + parseDuration for tick 1, then at: null (it ticks once).
  // Times as ISO 8601 text (toISOString()): the Wait state reads them.
  return { at: null, n: (state.next?.n ?? 0) + 1 };
}

/** The NextTime state: its result goes to `$.next`, where WaitUntilNext reads `$.next.at`. */
export const main = async (state: SchedulerState): Promise<NextTick> => planNextTick(state);
