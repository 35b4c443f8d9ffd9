import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { DeleteScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { scheduler } from '../lib/scheduler.ts';
import { main } from '../functions/stopSchedule/handler.ts';

describe('stopSchedule (a Schedule Stop event)', () => {
  beforeEach(() => {
    process.env.SCHEDULE_TABLE_NAME = 'dojo-serverless-test-schedules';
    process.env.TICK_SCHEDULE_GROUP = 'dojo-serverless-test-ticks';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.SCHEDULE_TABLE_NAME;
    delete process.env.TICK_SCHEDULE_GROUP;
  });

  it("deletes the schedule named by the event's detail (not the event's own id)", async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    await expect(main({ id: 'eeeeeeee-0000-4000-8000-000000000000', detail: { id: 'outbreak:every-5' } })).resolves.toEqual({ stopped: 'outbreak:every-5' });
    const command = send.mock.calls.at(-1)![0];
    expect(command).toBeInstanceOf(DeleteCommand);
    expect(command.input).toEqual({ TableName: 'dojo-serverless-test-schedules', Key: { id: 'outbreak:every-5' } });
  });

  it('deletes the pending tick schedule of a chain (via: scheduler): the table alone would not stop it', async () => {
    const item = { id: 'outbreak:boss', cron: '*/5 * * * *', via: 'scheduler', token: 'the-token', startedAt: '2026-11-21T10:00:30Z' };
    const send = vi.spyOn(ddb, 'send').mockImplementation(async (command) => (command instanceof GetCommand ? { Item: item } : {}) as never);
    const calls = vi.spyOn(scheduler, 'send').mockImplementation(async (command) => (command instanceof ListSchedulesCommand ? { Schedules: [{ Name: 'the-token-3' }] } : {}) as never);
    await expect(main({ detail: { id: 'outbreak:boss' } })).resolves.toEqual({ stopped: 'outbreak:boss' });
    const [list, remove] = calls.mock.calls.map(([c]) => c);
    expect((list as ListSchedulesCommand).input).toEqual({ GroupName: 'dojo-serverless-test-ticks', NamePrefix: 'the-token-' });
    expect(remove).toBeInstanceOf(DeleteScheduleCommand);
    expect((remove as DeleteScheduleCommand).input).toEqual({ Name: 'the-token-3', GroupName: 'dojo-serverless-test-ticks' });
    expect(send.mock.calls.at(-1)![0]).toBeInstanceOf(DeleteCommand);
  });

  it('leaves Scheduler alone for a schedule of the state machine', async () => {
    vi.spyOn(ddb, 'send').mockImplementation(async (command) => (command instanceof GetCommand ? { Item: { id: 'x', token: 't', cron: '* * * * *' } } : {}) as never);
    const calls = vi.spyOn(scheduler, 'send').mockResolvedValue({} as never);
    await main({ detail: { id: 'x' } });
    expect(calls).not.toHaveBeenCalled();
  });

  it('does nothing, and does not fail, without an id', async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(main({ detail: {} })).resolves.toEqual({ stopped: null });
    expect(send).not.toHaveBeenCalled();
  });
});
