import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, scheduleTableName } from '../../lib/dynamodb.ts';
import { eventBridge, eventBusName, scheduleRejected } from '../../lib/eventbridge.ts';
import type { BusEvent, LambdaContext } from '../../lib/lambda.ts';
import { readScheduleRequest, requestedId, ScheduleError, type Schedule } from '../../lib/schedule.ts';
import { schedulerArn, sfn } from '../../lib/stepfunctions.ts';

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
  // Put replaces any schedule with the same id: its loop sees a new token and ends.
  await ddb.send(new PutCommand({ TableName: scheduleTableName(), Item: schedule }));
  await sfn.send(new StartExecutionCommand({ stateMachineArn: schedulerArn(), name: schedule.token, input: JSON.stringify(schedule) }));
  console.log(`schedule ${schedule.id} started (${schedule.cron ?? schedule.duration}${schedule.limit ? `, at most ${schedule.limit} ticks` : ''})`);
  return { started: schedule.id, token: schedule.token };
};
