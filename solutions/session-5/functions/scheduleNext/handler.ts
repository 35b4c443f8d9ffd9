import { CreateScheduleCommand } from '@aws-sdk/client-scheduler';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, scheduleTableName } from '../../lib/dynamodb.ts';
import type { BusEvent } from '../../lib/lambda.ts';
import type { Schedule } from '../../lib/schedule.ts';
import { pastLimit, scheduler, tickSchedule, type SchedulerTick } from '../../lib/scheduler.ts';
import { planNextTick } from '../nextTime/handler.ts';

export type NextResult = { scheduled: string; at: string } | { ended: string };

/**
 * A tick of a chain of one-time schedules (part 2) has gone out: create the schedule of the tick
 * after, as the loop of part 1 turns back to NextTime. The table decides, as GetSchedule and
 * IsStillActive do: no schedule, or another Start's token, and the chain ends here.
 */
export const main = async (event: BusEvent<SchedulerTick>): Promise<NextResult> => {
  const { id, token, next } = event.detail;
  const { Item } = await ddb.send(new GetCommand({ TableName: scheduleTableName(), Key: { id }, ConsistentRead: true }));
  const schedule = Item as Schedule | undefined;
  if (!schedule || schedule.token !== token) {
    console.log(`schedule ${id}: ${schedule ? 'replaced by another Start' : 'stopped'}, its chain ends`);
    return { ended: id };
  }
  // Counted from this tick's time, as NextTime counts from $.next.at.
  const { at, n } = planNextTick({ ...schedule, next });
  // IsOver: no next time, or past the limit.
  if (at === null || pastLimit(schedule, { at, n })) return { ended: id };
  const request = tickSchedule(schedule, { at, n });
  await scheduler.send(new CreateScheduleCommand(request));
  return { scheduled: request.Name!, at };
};
