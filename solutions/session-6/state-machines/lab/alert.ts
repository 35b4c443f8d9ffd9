import type { StateMachine } from '../virusCreation.ts';

/**
 * A human in the loop: a pandemic alert waits until someone approves it. AskForApproval hands
 * its task token to requestApproval, which keeps it in the approval table; the execution then
 * waits, for free, until SendTaskSuccess ({ "approved": true }) or SendTaskFailure ("Rejected")
 * comes back with the token, or an hour has passed.
 *
 * Written in JSONata with variables: the answer replaces the state (a JSONata Task's output is
 * its result), and the virus it is about lives on in the variables $virusId and $strength.
 *
 *   input  { virusId, strength }
 */
export const labAlert: StateMachine = {
  id: 'LabAlertStateMachine',
  name: 'dojo-serverless-${sls:stage}-labAlert',
  events: [],
  definition: {
    Comment: 'Declare a pandemic, once a person has approved it',
    // Every state reads {% %} expressions, with Arguments and Output instead of the JSONPath fields.
    QueryLanguage: 'JSONata',
    StartAt: 'AskForApproval',
    States: {
      AskForApproval: {
        Type: 'Task',
        // .waitForTaskToken: the task is over when the token comes back, not when the Lambda returns.
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Arguments: {
          FunctionName: { 'Fn::GetAtt': ['requestApproval', 'Arn'] },
          Payload: {
            // The token exists only in the context object, only in such a task.
            token: '{% $states.context.Task.Token %}',
            virusId: '{% $states.input.virusId %}',
            strength: '{% $states.input.strength %}',
          },
        },
        // Kept for DeclarePandemic, whatever the answer holds: variables outlive the state's output.
        Assign: {
          virusId: '{% $states.input.virusId %}',
          strength: '{% $states.input.strength %}',
        },
        // Nobody answered within an hour: States.Timeout.
        TimeoutSeconds: 3600,
        Catch: [{ ErrorEquals: ['Rejected', 'States.Timeout'], Next: 'StandDown' }],
        // The output is SendTaskSuccess's output, e.g. { "approved": true }: IsApproved's input.
        Next: 'IsApproved',
      },
      IsApproved: {
        Type: 'Choice',
        // A missing `approved` compares as false: no IsPresent needed.
        Choices: [{ Condition: '{% $states.input.approved = true %}', Next: 'DeclarePandemic' }],
        Default: 'StandDown',
      },
      DeclarePandemic: {
        Type: 'Task',
        Resource: 'arn:aws:states:::events:putEvents',
        Arguments: {
          Entries: [
            {
              EventBusName: { Ref: 'DojoEventBus' },
              Source: 'dojo-serverless',
              DetailType: 'Pandemic Declared',
              Detail: { virusId: '{% $virusId %}', strength: '{% $strength %}' },
            },
          ],
        },
        // What the execution ends with: the virus and the verdict, not PutEvents's answer.
        Output: { virusId: '{% $virusId %}', strength: '{% $strength %}', verdict: 'pandemic' },
        End: true,
      },
      StandDown: { Type: 'Succeed' },
    },
  },
};
