import type { StateMachine } from '../virusCreation.ts';

/**
 * Error handling: GrowCulture is flaky. Retry tries again after 2, 4 and 8 seconds; when it
 * still fails, Catch goes to a fallback (a frozen sample), and without one the execution fails
 * with an Error and a Cause of its own.
 *
 *   input  { virusId, contamination?, frozenSample? }
 */
export const labCulture: StateMachine = {
  id: 'LabCultureStateMachine',
  name: 'dojo-serverless-${sls:stage}-labCulture',
  events: [],
  definition: {
    Comment: 'Grow a culture of the virus, trying again when it is contaminated',
    StartAt: 'GrowCulture',
    States: {
      GrowCulture: {
        Type: 'Task',
        Resource: { 'Fn::GetAtt': ['growCulture', 'Arn'] },
        // Keep the input (frozenSample is read later), put the culture beside it.
        ResultPath: '$.culture',
        // TODO 3: when it fails with CultureContaminated (the name of the Lambda's error), try again: 3 more
        // attempts, the first 2 seconds later, each wait twice as long as the one before (2 s, 4 s, 8 s).
        //
        // TODO 4: when it still fails, catch any error (States.ALL), keep it in $.error, and go to HasFrozenSample:
        // HasFrozenSample: a Choice. $.frozenSample is there and true → UseFrozenSample; Default → CultureFailed.
        // UseFrozenSample: a Pass putting { fromFreezer: true } in $.culture, then Incubate.
        // CultureFailed: a Fail with the Error 'Lab.CultureFailed' and a Cause that says what happened.
        Next: 'Incubate',
      },
      Incubate: {
        Type: 'Wait',
        // A culture needs a minute in the incubator: a Wait costs nothing while it waits.
        Seconds: 60,
        Next: 'CultureReady',
      },
      CultureReady: { Type: 'Succeed' },
    },
  },
};
