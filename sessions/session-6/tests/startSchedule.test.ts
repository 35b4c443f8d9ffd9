import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CreateScheduleCommand, DeleteScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { eventBridge } from '../lib/eventbridge.ts';
import { scheduler } from '../lib/scheduler.ts';
import { sfn } from '../lib/stepfunctions.ts';
import { main } from '../functions/startSchedule/handler.ts';

const context = { awsRequestId: '5b7e2c1a-9d3f-4e6a-8b1c-2d3e4f5a6b7c' };
const start = (detail: unknown) => ({ 'detail-type': 'Schedule Start', source: 'dojo-serverless', time: '2026-11-21T10:00:30Z', detail });

describe('startSchedule (a Schedule Start event)', () => {
  beforeEach(() => {
    process.env.SCHEDULE_TABLE_NAME = 'dojo-serverless-test-schedules';
    process.env.SCHEDULER_STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:dojo-serverless-test-scheduler';
    process.env.EVENT_BUS_NAME = 'dojo-serverless-test';
    process.env.TICK_SCHEDULE_GROUP = 'dojo-serverless-test-ticks';
    process.env.EVENT_BUS_ARN = 'arn:aws:events:eu-west-1:123456789012:event-bus/dojo-serverless-test';
    process.env.TICK_ROLE_ARN = 'arn:aws:iam::123456789012:role/dojo-serverless-test-TickSchedulerRole';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    for (const name of ['SCHEDULE_TABLE_NAME', 'SCHEDULER_STATE_MACHINE_ARN', 'EVENT_BUS_NAME', 'TICK_SCHEDULE_GROUP', 'EVENT_BUS_ARN', 'TICK_ROLE_ARN']) delete process.env[name];
  });

  it('stores the schedule with a token, then starts the scheduler with it', async () => {
    const put = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const startExecution = vi.spyOn(sfn, 'send').mockResolvedValue({} as never);
    await expect(main(start({ id: 'outbreak:every-5', cron: '*/5 * * * *', limit: 10 }), context)).resolves.toEqual({ started: 'outbreak:every-5', token: context.awsRequestId });
    const schedule = { id: 'outbreak:every-5', cron: '*/5 * * * *', limit: 10, token: context.awsRequestId, startedAt: '2026-11-21T10:00:30Z' };
    const stored = put.mock.calls.map(([c]) => c).find((c) => c instanceof PutCommand)!;
    expect(stored).toBeInstanceOf(PutCommand);
    expect(stored.input).toEqual({ TableName: 'dojo-serverless-test-schedules', Item: schedule });
    const started = startExecution.mock.calls[0]![0];
    expect(started).toBeInstanceOf(StartExecutionCommand);
    expect((started as StartExecutionCommand).input).toMatchObject({ stateMachineArn: process.env.SCHEDULER_STATE_MACHINE_ARN });
    expect(JSON.parse((started as StartExecutionCommand).input.input!)).toEqual(schedule);
    // Stored first: the loop reads the table at its first tick.
    expect(put.mock.invocationCallOrder.at(-1)).toBeLessThan(startExecution.mock.invocationCallOrder[0]!);
  });

  it('with via: scheduler, stores the schedule, then creates the one-time schedule of its first tick instead', async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const startExecution = vi.spyOn(sfn, 'send').mockResolvedValue({} as never);
    const create = vi.spyOn(scheduler, 'send').mockResolvedValue({} as never);
    await expect(main(start({ id: 'outbreak:boss', cron: '*/5 * * * *', via: 'scheduler' }), context)).resolves.toEqual({ started: 'outbreak:boss', token: context.awsRequestId });
    expect(startExecution).not.toHaveBeenCalled();
    const stored = send.mock.calls.map(([c]) => c).find((c) => c instanceof PutCommand)!;
    expect(stored.input).toMatchObject({ Item: { id: 'outbreak:boss', via: 'scheduler', token: context.awsRequestId } });
    const command = create.mock.calls[0]![0] as CreateScheduleCommand;
    expect(command).toBeInstanceOf(CreateScheduleCommand);
    // The first time of */5 after the Start at 10:00:30.
    expect(command.input).toMatchObject({
      Name: `${context.awsRequestId}-1`,
      GroupName: 'dojo-serverless-test-ticks',
      ScheduleExpression: 'at(2026-11-21T10:05:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: process.env.EVENT_BUS_ARN, RoleArn: process.env.TICK_ROLE_ARN, EventBridgeParameters: { Source: 'dojo-serverless', DetailType: 'Schedule Tick' } },
    });
    expect(JSON.parse(command.input.Target!.Input!)).toEqual({ id: 'outbreak:boss', token: context.awsRequestId, next: { at: '2026-11-21T10:05:00.000Z', n: 1 } });
    expect(send.mock.invocationCallOrder.at(-1)).toBeLessThan(create.mock.invocationCallOrder[0]!);
  });

  it('cancels the pending tick of the chain it replaces, so that the old chain never ticks again', async () => {
    const old = { id: 'outbreak:boss', cron: '*/10 * * * *', via: 'scheduler', token: 'old-token', startedAt: '2026-11-21T09:00:00Z' };
    const send = vi.spyOn(ddb, 'send').mockImplementation(async (command) => (command instanceof GetCommand ? { Item: old } : {}) as never);
    const calls = vi.spyOn(scheduler, 'send').mockImplementation(async (command) => (command instanceof ListSchedulesCommand ? { Schedules: [{ Name: 'old-token-4' }] } : {}) as never);
    await main(start({ id: 'outbreak:boss', cron: '*/5 * * * *', via: 'scheduler' }), context);
    const [list, remove, create] = calls.mock.calls.map(([c]) => c);
    expect(list).toBeInstanceOf(ListSchedulesCommand);
    expect((list as ListSchedulesCommand).input).toEqual({ GroupName: 'dojo-serverless-test-ticks', NamePrefix: 'old-token-' });
    expect(remove).toBeInstanceOf(DeleteScheduleCommand);
    expect((remove as DeleteScheduleCommand).input).toEqual({ Name: 'old-token-4', GroupName: 'dojo-serverless-test-ticks' });
    expect(create).toBeInstanceOf(CreateScheduleCommand);
    expect((send.mock.calls[0]![0] as GetCommand).input).toMatchObject({ Key: { id: 'outbreak:boss' }, ConsistentRead: true });
  });

  it('refuses a bad Start with a Schedule Rejected event, and does not fail', async () => {
    const put = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const startExecution = vi.spyOn(sfn, 'send').mockResolvedValue({} as never);
    const events = vi.spyOn(eventBridge, 'send').mockResolvedValue({ FailedEntryCount: 0, Entries: [{}] } as never);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = await main(start({ id: 'check:bad', cron: '61 * * * *' }), context);
    expect(result).toEqual({ rejected: expect.stringContaining('61') });
    expect(put).not.toHaveBeenCalled();
    expect(startExecution).not.toHaveBeenCalled();
    const command = events.mock.calls[0]![0] as PutEventsCommand;
    expect(command).toBeInstanceOf(PutEventsCommand);
    const [entry] = command.input.Entries!;
    expect(entry).toMatchObject({ EventBusName: 'dojo-serverless-test', Source: 'dojo-serverless', DetailType: 'Schedule Rejected' });
    expect(JSON.parse(entry!.Detail!)).toEqual({ id: 'check:bad', reason: expect.stringContaining('61') });
  });

  it('lets other errors through (those are real failures)', async () => {
    vi.spyOn(ddb, 'send').mockRejectedValue(new Error('network down'));
    await expect(main(start({ id: 'x', duration: '5m' }), context)).rejects.toThrow('network down');
  });
});
