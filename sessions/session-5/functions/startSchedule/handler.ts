import type { BusEvent, LambdaContext } from '../../lib/lambda.ts';

export type StartResult = { started: string; token: string } | { rejected: string };

/** A `Schedule Start` event: check it, keep the schedule in the table, start its loop. */
export const main = async (event: BusEvent<unknown>, context: LambdaContext): Promise<StartResult> => {
  // TODO 4: 1. readScheduleRequest(event.detail) (lib/schedule.ts) checks the request. When it throws a
  // ScheduleError: console.error it, put scheduleRejected(eventBusName(), requestedId(event.detail), message)
  // on the bus (lib/eventbridge.ts), and return { rejected: message } — do not throw.
  // 2. The schedule: the request, token: context.awsRequestId, startedAt: event.time.
  // 3. Put it in the schedule table (scheduleTableName(), lib/dynamodb.ts): it replaces any schedule with that id.
  // 4. Start the scheduler (StartExecutionCommand through sfn, schedulerArn(), lib/stepfunctions.ts),
  // name: the token, input: the schedule as JSON. Return { started: id, token }.
  // TODO 14: a Start with via: 'scheduler' starts a chain of one-time schedules instead of step 4: its first
  // tick, planNextTick(schedule) (functions/nextTime), as CreateScheduleCommand(tickSchedule(schedule, next))
  // through scheduler (lib/scheduler.ts). And before step 3, for every Start: read the schedule it replaces
  // (a GetCommand, ConsistentRead); if that one went via 'scheduler' with another token, cancelTicks(its token),
  // or its pending tick would still fire.
  console.log('Schedule Start', JSON.stringify(event.detail), context.awsRequestId);
  return { rejected: 'startSchedule is not written yet: TODO 4.' };
};
