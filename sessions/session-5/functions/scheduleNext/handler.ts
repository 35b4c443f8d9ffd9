import type { BusEvent } from '../../lib/lambda.ts';
import type { SchedulerTick } from '../../lib/scheduler.ts';

export type NextResult = { scheduled: string; at: string } | { ended: string };

/**
 * A tick of a chain of one-time schedules (part 2) has gone out: create the schedule of the tick
 * after, as the loop of part 1 turns back to NextTime. The table decides, as GetSchedule and
 * IsStillActive do: no schedule, or another Start's token, and the chain ends here.
 */
export const main = async (event: BusEvent<SchedulerTick>): Promise<NextResult> => {
  const { id, token, next } = event.detail;
  // TODO 15: 1. Read the schedule `id` (a GetCommand through ddb, ConsistentRead). Gone, or its token is not
  // this tick's: the chain ends, answer { ended: id }.
  // 2. The tick after: planNextTick({ ...schedule, next }) (functions/nextTime), counted from this tick.
  // 3. IsOver: no time (at: null), or pastLimit(schedule, after): { ended: id }.
  // 4. Otherwise CreateScheduleCommand(tickSchedule(schedule, after)) through scheduler (lib/scheduler.ts),
  // and answer { scheduled: its Name, at }.
  console.log(`tick ${next.n} of ${id} (${token}) went out at ${next.at}: scheduleNext is not written yet (TODO 15)`);
  return { ended: id };
};
