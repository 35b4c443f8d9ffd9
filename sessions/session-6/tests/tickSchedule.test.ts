import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { DeleteScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { atExpression, cancelTicks, pastLimit, scheduler, tickSchedule } from '../lib/scheduler.ts';

const schedule = { id: 'outbreak:boss', cron: '*/5 * * * *', limit: 3, via: 'scheduler' as const, token: 'a1b2c3d4-0000-4000-8000-000000000000', startedAt: '2026-11-21T10:00:30Z' };

describe('atExpression', () => {
  it('writes the UTC time, to the second, with no zone: at() has none of its own', () => {
    expect(atExpression('2026-11-21T10:05:00.000Z')).toBe('at(2026-11-21T10:05:00)');
    expect(atExpression(new Date(Date.UTC(2026, 2, 29, 1, 30, 15, 999)))).toBe('at(2026-03-29T01:30:15)');
  });
});

describe('tickSchedule (the CreateSchedule request of one tick)', () => {
  beforeEach(() => {
    process.env.TICK_SCHEDULE_GROUP = 'dojo-serverless-test-ticks';
    process.env.EVENT_BUS_ARN = 'arn:aws:events:eu-west-1:123456789012:event-bus/dojo-serverless-test';
    process.env.TICK_ROLE_ARN = 'arn:aws:iam::123456789012:role/dojo-serverless-test-TickSchedulerRole';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    for (const name of ['TICK_SCHEDULE_GROUP', 'EVENT_BUS_ARN', 'TICK_ROLE_ARN']) delete process.env[name];
  });

  it('fires once, at the tick, in UTC, on time, and is deleted once it has fired', () => {
    expect(tickSchedule(schedule, { at: '2026-11-21T10:10:00.000Z', n: 2 })).toMatchObject({
      Name: `${schedule.token}-2`,
      GroupName: 'dojo-serverless-test-ticks',
      ScheduleExpression: 'at(2026-11-21T10:10:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
    });
  });

  it('puts the Schedule Tick on the bus as the tick role, with the id, the token and the tick in its detail', () => {
    const { Target } = tickSchedule(schedule, { at: '2026-11-21T10:10:00.000Z', n: 2 });
    expect(Target).toMatchObject({
      Arn: process.env.EVENT_BUS_ARN,
      RoleArn: process.env.TICK_ROLE_ARN,
      EventBridgeParameters: { Source: 'dojo-serverless', DetailType: 'Schedule Tick' },
    });
    expect(JSON.parse(Target!.Input!)).toEqual({ id: 'outbreak:boss', token: schedule.token, next: { at: '2026-11-21T10:10:00.000Z', n: 2 } });
  });

  it('says which variable is missing, and how to give it', () => {
    delete process.env.TICK_ROLE_ARN;
    expect(() => tickSchedule(schedule, { at: '2026-11-21T10:10:00.000Z', n: 2 })).toThrow(/TICK_ROLE_ARN is not set.*TickSchedulerRole/);
  });
});

describe('pastLimit', () => {
  it('lets tick n go out while n ≤ limit', () => {
    expect(pastLimit(schedule, { at: '2026-11-21T10:15:00.000Z', n: 3 })).toBe(false);
    expect(pastLimit(schedule, { at: '2026-11-21T10:20:00.000Z', n: 4 })).toBe(true);
    expect(pastLimit({ ...schedule, limit: undefined }, { at: '2026-11-21T10:20:00.000Z', n: 400 })).toBe(false);
  });
});

describe('cancelTicks', () => {
  beforeEach(() => {
    process.env.TICK_SCHEDULE_GROUP = 'dojo-serverless-test-ticks';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.TICK_SCHEDULE_GROUP;
  });

  it("deletes the Start's pending tick schedules, and takes one that fired meanwhile as cancelled", async () => {
    const gone = Object.assign(new Error('Schedule a-2 does not exist.'), { name: 'ResourceNotFoundException' });
    const calls = vi.spyOn(scheduler, 'send').mockImplementation(async (command) => {
      if (command instanceof ListSchedulesCommand) return { Schedules: [{ Name: 'a-2' }, { Name: 'a-3' }] } as never;
      if ((command as DeleteScheduleCommand).input.Name === 'a-2') throw gone;
      return {} as never;
    });
    await expect(cancelTicks('a')).resolves.toEqual(['a-2', 'a-3']);
    expect(calls.mock.calls.map(([c]) => c.constructor.name)).toEqual(['ListSchedulesCommand', 'DeleteScheduleCommand', 'DeleteScheduleCommand']);
  });

  it('lets other errors through', async () => {
    vi.spyOn(scheduler, 'send').mockRejectedValue(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    await expect(cancelTicks('a')).rejects.toThrow('not authorized');
  });
});
