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
        // TODO 8: make this task wait for a person. Its Resource becomes 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        // and its Payload gains the task token ('token.$': '$$.Task.Token'), which requestApproval keeps.
        // Give up after an hour (TimeoutSeconds: 3600). A rejection (the error 'Rejected') and a timeout
        // ('States.Timeout') are caught: their error goes to $.refusal, and the execution goes to StandDown.
        // Otherwise go on to IsApproved, a Choice: $.approval.approved is there and true → DeclarePandemic; Default → StandDown.
        // DeclarePandemic: a Task 'arn:aws:states:::events:putEvents' with one entry on our bus: Source 'dojo-serverless',
        // DetailType 'Pandemic Declared', Detail { 'virusId.$': '$.virusId', 'strength.$': '$.strength' }; ResultPath null; End.
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: {
          FunctionName: { 'Fn::GetAtt': ['requestApproval', 'Arn'] },
          Payload: {
            'virusId.$': '$.virusId',
            'strength.$': '$.strength',
          },
        },
        // SendTaskSuccess's output, e.g. { "approved": true }.
        ResultPath: '$.approval',
        Next: 'StandDown',
      },
      StandDown: { Type: 'Succeed' },
    },
  },
};
