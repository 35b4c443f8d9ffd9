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
        // TODO 8: make this task wait for a person. Its Resource becomes 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        // and its Payload gains the task token (token: '{% $states.context.Task.Token %}'), which requestApproval keeps.
        // Keep the virus for later in variables: Assign { virusId, strength } from $states.input.
        // Give up after an hour (TimeoutSeconds: 3600). A rejection (the error 'Rejected') and a timeout
        // ('States.Timeout') are caught, and the execution goes to StandDown.
        // Otherwise go on to IsApproved, a Choice: Condition '{% $states.input.approved = true %}' → DeclarePandemic; Default → StandDown.
        // DeclarePandemic: a Task 'arn:aws:states:::events:putEvents' with one entry on our bus: Source 'dojo-serverless',
        // DetailType 'Pandemic Declared', Detail { virusId, strength } read from the variables ($virusId, $strength);
        // its Output { virusId, strength, verdict: 'pandemic' } is what the execution ends with; End.
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: {
          FunctionName: { 'Fn::GetAtt': ['requestApproval', 'Arn'] },
          Payload: {
            virusId: '{% $states.input.virusId %}',
            strength: '{% $states.input.strength %}',
          },
        },
        Next: 'StandDown',
      },
      StandDown: { Type: 'Succeed' },
    },
  },
};
