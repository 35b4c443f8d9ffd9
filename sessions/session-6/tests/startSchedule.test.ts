import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { eventBridge } from '../lib/eventbridge.ts';
import { sfn } from '../lib/stepfunctions.ts';
import { main } from '../functions/startSchedule/handler.ts';

const context = { awsRequestId: '5b7e2c1a-9d3f-4e6a-8b1c-2d3e4f5a6b7c' };
const start = (detail: unknown) => ({ 'detail-type': 'Schedule Start', source: 'dojo-serverless', time: '2026-11-21T10:00:30Z', detail });

describe('startSchedule (a Schedule Start event)', () => {
  beforeEach(() => {
    process.env.SCHEDULE_TABLE_NAME = 'dojo-serverless-test-schedules';
    process.env.SCHEDULER_STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:dojo-serverless-test-scheduler';
    process.env.EVENT_BUS_NAME = 'dojo-serverless-test';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.SCHEDULE_TABLE_NAME;
    delete process.env.SCHEDULER_STATE_MACHINE_ARN;
    delete process.env.EVENT_BUS_NAME;
  });

  it('stores the schedule with a token, then starts the scheduler with it', async () => {
    const put = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const startExecution = vi.spyOn(sfn, 'send').mockResolvedValue({} as never);
    await expect(main(start({ id: 'outbreak:every-5', cron: '*/5 * * * *', limit: 10 }), context)).resolves.toEqual({ started: 'outbreak:every-5', token: context.awsRequestId });
    const schedule = { id: 'outbreak:every-5', cron: '*/5 * * * *', limit: 10, token: context.awsRequestId, startedAt: '2026-11-21T10:00:30Z' };
    const stored = put.mock.calls[0]![0];
    expect(stored).toBeInstanceOf(PutCommand);
    expect(stored.input).toEqual({ TableName: 'dojo-serverless-test-schedules', Item: schedule });
    const started = startExecution.mock.calls[0]![0];
    expect(started).toBeInstanceOf(StartExecutionCommand);
    expect((started as StartExecutionCommand).input).toMatchObject({ stateMachineArn: process.env.SCHEDULER_STATE_MACHINE_ARN });
    expect(JSON.parse((started as StartExecutionCommand).input.input!)).toEqual(schedule);
    // Stored first: the loop reads the table at its first tick.
    expect(put.mock.invocationCallOrder[0]).toBeLessThan(startExecution.mock.invocationCallOrder[0]!);
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
