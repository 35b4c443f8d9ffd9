import type { StateMachine } from './virusCreation.ts';

/**
 * The scheduler state machine: one execution is one running schedule. startSchedule starts it
 * with the schedule as input; it loops NextTime → WaitUntilNext → GetSchedule → IsStillActive
 * → SendTick until the schedule has no next tick, reaches its limit, is stopped or replaced.
 */
export const scheduler: StateMachine = {
  id: 'SchedulerStateMachine',
  name: 'dojo-serverless-${sls:stage}-scheduler',
  // No trigger of its own: startSchedule starts it, after checking and storing the schedule.
  events: [],
  definition: {
    Comment: 'Wait until each tick of a schedule, and send a Schedule Tick while the schedule is on',
    StartAt: 'NextTime',
    States: {
      NextTime: {
        Type: 'Task',
        Resource: { 'Fn::GetAtt': ['nextTime', 'Arn'] },
        // Keep the schedule, add { at, n } beside it: the next NextTime counts from this tick.
        ResultPath: '$.next',
        Next: 'IsOver',
      },
      IsOver: {
        Type: 'Choice',
        Choices: [
          // A duration ticks once: after it, there is no next time.
          { Variable: '$.next.at', IsNull: true, Next: 'Done' },
          // Tick n may go out only while n ≤ limit.
          { And: [{ Variable: '$.limit', IsPresent: true }, { Variable: '$.next.n', NumericGreaterThanPath: '$.limit' }], Next: 'Done' },
        ],
        Default: 'WaitUntilNext',
      },
      WaitUntilNext: {
        Type: 'Wait',
        // Until a moment, not for a while: the loop's own run time never pushes the ticks later.
        TimestampPath: '$.next.at',
        Next: 'GetSchedule',
      },
      GetSchedule: {
        Type: 'Task',
        // Straight to DynamoDB, no Lambda in between.
        Resource: 'arn:aws:states:::dynamodb:getItem',
        Parameters: {
          TableName: { Ref: 'ScheduleTable' },
          Key: { id: { 'S.$': '$.id' } },
          // A Stop a moment ago must be seen.
          ConsistentRead: true,
        },
        ResultPath: '$.current',
        Next: 'IsStillActive',
      },
      IsStillActive: {
        Type: 'Choice',
        // Rules are tried in order: the token is compared only when there is an item.
        Choices: [
          // Stopped: stopSchedule deleted it (GetItem then answers without an Item).
          { Not: { Variable: '$.current.Item', IsPresent: true }, Next: 'Stopped' },
          // Still ours: the token of the Start that began this loop.
          { Variable: '$.current.Item.token.S', StringEqualsPath: '$.token', Next: 'SendTick' },
        ],
        // Another Start with the same id replaced it: its own loop ticks now.
        Default: 'Stopped',
      },
      SendTick: {
        Type: 'Task',
        Resource: 'arn:aws:states:::events:putEvents',
        Parameters: {
          Entries: [
            {
              EventBusName: { Ref: 'DojoEventBus' },
              Source: 'dojo-serverless',
              DetailType: 'Schedule Tick',
              Detail: { 'id.$': '$.id' },
            },
          ],
        },
        // Throw away PutEvents's answer: the state stays the schedule and its next tick.
        ResultPath: null,
        Next: 'NextTime',
      },
      Done: { Type: 'Succeed' },
      Stopped: { Type: 'Succeed' },
    },
  },
};
