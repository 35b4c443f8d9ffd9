import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CreateScheduleCommand } from '@aws-sdk/client-scheduler';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, scheduleTableName } from '../../lib/dynamodb.ts';
import { eventBridge, eventBusName, scheduleRejected } from '../../lib/eventbridge.ts';
import type { BusEvent, LambdaContext } from '../../lib/lambda.ts';
import { readScheduleRequest, requestedId, ScheduleError, type Schedule } from '../../lib/schedule.ts';
import { cancelTicks, scheduler, tickSchedule } from '../../lib/scheduler.ts';
import { schedulerArn, sfn } from '../../lib/stepfunctions.ts';
import { planNextTick } from '../nextTime/handler.ts';

export type StartResult = { started: string; token: string } | { rejected: string };

/** A `Schedule Start` event: check it, keep the schedule in the table, start its loop. */
export const main = async (event: BusEvent<unknown>, context: LambdaContext): Promise<StartResult> => {
  let request;
  try {
    request = readScheduleRequest(event.detail);
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    // A bad request is the sender's mistake: say so, and do not fail. A failed asynchronous
    // invocation is retried twice by Lambda, and would be refused twice more.
    console.error(`Schedule Start refused: ${error.message}`);
    await eventBridge.send(new PutEventsCommand({ Entries: [scheduleRejected(eventBusName(), requestedId(event.detail), error.message)] }));
    return { rejected: error.message };
  }
  const schedule: Schedule = {
    ...request,
    // The request id survives Lambda's retries: a retried Start writes the same token and
    // starts the same execution (same name, same input), not a second loop.
    token: context.awsRequestId,
    startedAt: event.time ?? new Date().toISOString(),
  };
  // A chain of tick schedules does not look at the table before it ticks: cancel the pending
  // tick of the Start this one replaces (a loop of part 1 sees the new token and ends by itself).
  const { Item: previous } = await ddb.send(new GetCommand({ TableName: scheduleTableName(), Key: { id: schedule.id }, ConsistentRead: true }));
  if (previous?.via === 'scheduler' && previous.token !== schedule.token) await cancelTicks(previous.token);
  // Put replaces any schedule with the same id: its loop sees a new token and ends.
  await ddb.send(new PutCommand({ TableName: scheduleTableName(), Item: schedule }));
  if (schedule.via === 'scheduler') {
    // The first tick's one-time schedule; scheduleNext creates each one after, on its tick.
    const next = planNextTick(schedule);
    if (next.at !== null) await scheduler.send(new CreateScheduleCommand(tickSchedule(schedule, { ...next, at: next.at })));
  } else {
    await sfn.send(new StartExecutionCommand({ stateMachineArn: schedulerArn(), name: schedule.token, input: JSON.stringify(schedule) }));
  }
  console.log(`schedule ${schedule.id} started via ${schedule.via ?? 'stepfunctions'} (${schedule.cron ?? schedule.duration}${schedule.limit ? `, at most ${schedule.limit} ticks` : ''})`);
  return { started: schedule.id, token: schedule.token };
};
