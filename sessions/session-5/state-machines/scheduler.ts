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
        // TODO 7: go on to IsOver instead, and add the two states sketched below.
        Next: 'Done',
      },
      // IsOver: a Choice. To Done when $.next.at is null (IsNull), or when there is a $.limit (IsPresent)
      //   and $.next.n is greater than it (NumericGreaterThanPath); otherwise (Default) to WaitUntilNext.
      // WaitUntilNext: a Wait until the moment in $.next.at (TimestampPath), then Next: GetSchedule (Done until TODO 8).
      //
      // TODO 8: after the wait, check that the schedule is still on.
      // GetSchedule: a Task straight to DynamoDB, Resource 'arn:aws:states:::dynamodb:getItem', with
      //   Parameters { TableName: { Ref: 'ScheduleTable' }, Key: { id: { 'S.$': '$.id' } }, ConsistentRead: true },
      //   ResultPath '$.current', Next: IsStillActive.
      // IsStillActive: a Choice. No $.current.Item → Stopped; $.current.Item.token.S equal to $.token
      //   (StringEqualsPath) → SendTick (Done until TODO 9); Default → Stopped. Stopped: a Succeed state.
      //
      // TODO 9: SendTick: a Task 'arn:aws:states:::events:putEvents' whose Parameters hold one entry on our bus
      //   ({ Ref: 'DojoEventBus' }), Source 'dojo-serverless', DetailType 'Schedule Tick', Detail { 'id.$': '$.id' };
      //   ResultPath null (keep the state as it is), and back to NextTime for the next tick.
      Done: { Type: 'Succeed' },
    },
  },
};
