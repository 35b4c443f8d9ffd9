import type { StateMachine } from '../virusCreation.ts';

/**
 * A human in the loop: a pandemic alert waits until someone approves it. AskForApproval hands
 * its task token to requestApproval, which keeps it in the approval table; the execution then
 * waits, for free, until SendTaskSuccess ({ "approved": true }) or SendTaskFailure ("Rejected")
 * comes back with the token, or an hour has passed.
 *
 *   input  { virusId, strength }
 */
export const labAlert: StateMachine = {
  id: 'LabAlertStateMachine',
  name: 'dojo-serverless-${sls:stage}-labAlert',
  events: [],
  definition: {
    Comment: 'Declare a pandemic, once a person has approved it',
    StartAt: 'AskForApproval',
    States: {
      AskForApproval: {
        Type: 'Task',
        // .waitForTaskToken: the task is over when the token comes back, not when the Lambda returns.
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: { 'Fn::GetAtt': ['requestApproval', 'Arn'] },
          Payload: {
            // The token exists only in the context object ($$), only in such a task.
            'token.$': '$$.Task.Token',
            'virusId.$': '$.virusId',
            'strength.$': '$.strength',
          },
        },
        // Nobody answered within an hour: States.Timeout.
        TimeoutSeconds: 3600,
        // SendTaskSuccess's output, e.g. { "approved": true }.
        ResultPath: '$.approval',
        Catch: [{ ErrorEquals: ['Rejected', 'States.Timeout'], ResultPath: '$.refusal', Next: 'StandDown' }],
        Next: 'IsApproved',
      },
      IsApproved: {
        Type: 'Choice',
        Choices: [{ And: [{ Variable: '$.approval.approved', IsPresent: true }, { Variable: '$.approval.approved', BooleanEquals: true }], Next: 'DeclarePandemic' }],
        Default: 'StandDown',
      },
      DeclarePandemic: {
        Type: 'Task',
        Resource: 'arn:aws:states:::events:putEvents',
        Parameters: {
          Entries: [
            {
              EventBusName: { Ref: 'DojoEventBus' },
              Source: 'dojo-serverless',
              DetailType: 'Pandemic Declared',
              Detail: { 'virusId.$': '$.virusId', 'strength.$': '$.strength' },
            },
          ],
        },
        ResultPath: null,
        End: true,
      },
      StandDown: { Type: 'Succeed' },
    },
  },
};
