import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { CreateScheduleCommand } from '@aws-sdk/client-scheduler';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { scheduler } from '../lib/scheduler.ts';
import { main } from '../functions/scheduleNext/handler.ts';

const stored = { id: 'outbreak:boss', cron: '*/5 * * * *', limit: 3, via: 'scheduler', token: 'the-token', startedAt: '2026-11-21T10:00:30Z' };
const tick = (n: number, at: string, token = 'the-token') => ({ 'detail-type': 'Schedule Tick', source: 'dojo-serverless', detail: { id: 'outbreak:boss', token, next: { at, n } } });

describe('scheduleNext (a tick of a chain of one-time schedules)', () => {
  beforeEach(() => {
    process.env.SCHEDULE_TABLE_NAME = 'dojo-serverless-test-schedules';
    process.env.TICK_SCHEDULE_GROUP = 'dojo-serverless-test-ticks';
    process.env.EVENT_BUS_ARN = 'arn:aws:events:eu-west-1:123456789012:event-bus/dojo-serverless-test';
    process.env.TICK_ROLE_ARN = 'arn:aws:iam::123456789012:role/dojo-serverless-test-TickSchedulerRole';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    for (const name of ['SCHEDULE_TABLE_NAME', 'TICK_SCHEDULE_GROUP', 'EVENT_BUS_ARN', 'TICK_ROLE_ARN']) delete process.env[name];
  });

  const table = (item: object | undefined) => vi.spyOn(ddb, 'send').mockImplementation(async (command) => (command instanceof GetCommand ? { Item: item } : {}) as never);

  it('creates the schedule of the tick after, counted from this one', async () => {
    const get = table(stored);
    const create = vi.spyOn(scheduler, 'send').mockResolvedValue({} as never);
    await expect(main(tick(1, '2026-11-21T10:05:00.000Z'))).resolves.toEqual({ scheduled: 'the-token-2', at: '2026-11-21T10:10:00.000Z' });
    expect((get.mock.calls[0]![0] as GetCommand).input).toEqual({ TableName: 'dojo-serverless-test-schedules', Key: { id: 'outbreak:boss' }, ConsistentRead: true });
    const command = create.mock.calls[0]![0] as CreateScheduleCommand;
    expect(command).toBeInstanceOf(CreateScheduleCommand);
    expect(command.input).toMatchObject({ Name: 'the-token-2', ScheduleExpression: 'at(2026-11-21T10:10:00)' });
  });

  it('ends the chain at the limit: tick 3 of 3 creates no fourth', async () => {
    table(stored);
    const create = vi.spyOn(scheduler, 'send').mockResolvedValue({} as never);
    await expect(main(tick(3, '2026-11-21T10:15:00.000Z'))).resolves.toEqual({ ended: 'outbreak:boss' });
    expect(create).not.toHaveBeenCalled();
  });

  it('ends the chain of a duration after its one tick', async () => {
    table({ ...stored, cron: undefined, limit: undefined, duration: '5m' });
    const create = vi.spyOn(scheduler, 'send').mockResolvedValue({} as never);
    await expect(main(tick(1, '2026-11-21T10:05:30.000Z'))).resolves.toEqual({ ended: 'outbreak:boss' });
    expect(create).not.toHaveBeenCalled();
  });

  it.each([
    ['stopped (gone from the table)', undefined],
    ['replaced by another Start (another token)', { ...stored, token: 'a-newer-token' }],
  ])('ends the chain of a schedule %s', async (_what, item) => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    table(item);
    const create = vi.spyOn(scheduler, 'send').mockResolvedValue({} as never);
    await expect(main(tick(1, '2026-11-21T10:05:00.000Z'))).resolves.toEqual({ ended: 'outbreak:boss' });
    expect(create).not.toHaveBeenCalled();
  });
});
