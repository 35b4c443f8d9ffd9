import { describe, it, expect } from 'vitest';
import { scheduler } from '../state-machines/scheduler.ts';

const { StartAt, States } = scheduler.definition;

describe('the scheduler state machine', () => {
  it('starts by planning the next tick with the nextTime Lambda, into $.next', () => {
    expect(StartAt).toBe('NextTime');
    expect(States.NextTime).toMatchObject({ Type: 'Task', Resource: { 'Fn::GetAtt': ['nextTime', 'Arn'] }, ResultPath: '$.next', Next: 'IsOver' });
  });

  it('ends when there is no next tick, or when the tick is past the limit', () => {
    expect(States.IsOver).toMatchObject({ Type: 'Choice', Default: 'WaitUntilNext' });
    expect(States.IsOver?.Choices).toEqual([
      { Variable: '$.next.at', IsNull: true, Next: 'Done' },
      { And: [{ Variable: '$.limit', IsPresent: true }, { Variable: '$.next.n', NumericGreaterThanPath: '$.limit' }], Next: 'Done' },
    ]);
  });

  it('waits until the time of the tick, not for a number of seconds', () => {
    expect(States.WaitUntilNext).toEqual({ Type: 'Wait', TimestampPath: '$.next.at', Next: 'GetSchedule' });
  });

  it('reads the schedule straight from DynamoDB before each tick', () => {
    expect(States.GetSchedule).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Parameters: { TableName: { Ref: 'ScheduleTable' }, Key: { id: { 'S.$': '$.id' } } },
      ResultPath: '$.current',
      Next: 'IsStillActive',
    });
  });

  it('ticks only while the schedule is there with the token of this loop', () => {
    expect(States.IsStillActive).toEqual({
      Type: 'Choice',
      Choices: [
        { Not: { Variable: '$.current.Item', IsPresent: true }, Next: 'Stopped' },
        { Variable: '$.current.Item.token.S', StringEqualsPath: '$.token', Next: 'SendTick' },
      ],
      Default: 'Stopped',
    });
  });

  it('sends a Schedule Tick { id } on our bus, then loops', () => {
    expect(States.SendTick).toEqual({
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: { Entries: [{ EventBusName: { Ref: 'DojoEventBus' }, Source: 'dojo-serverless', DetailType: 'Schedule Tick', Detail: { 'id.$': '$.id' } }] },
      ResultPath: null,
      Next: 'NextTime',
    });
  });

  it('ends in Succeed states: Done (no more ticks) and Stopped (stopped or replaced)', () => {
    expect(States.Done).toEqual({ Type: 'Succeed' });
    expect(States.Stopped).toEqual({ Type: 'Succeed' });
  });
});
