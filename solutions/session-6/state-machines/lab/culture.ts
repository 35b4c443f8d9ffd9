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
        // 3 more attempts, waiting 2 s, then 4 s, then 8 s: contamination often clears by itself.
        // ErrorEquals names the error the Lambda throws (its `name`).
        Retry: [{ ErrorEquals: ['CultureContaminated'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
        // Whatever is still wrong after the retries: keep the error in $.error and try the fallback.
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'HasFrozenSample' }],
        Next: 'Incubate',
      },
      HasFrozenSample: {
        Type: 'Choice',
        Choices: [{ And: [{ Variable: '$.frozenSample', IsPresent: true }, { Variable: '$.frozenSample', BooleanEquals: true }], Next: 'UseFrozenSample' }],
        Default: 'CultureFailed',
      },
      UseFrozenSample: {
        Type: 'Pass',
        Result: { fromFreezer: true },
        ResultPath: '$.culture',
        Next: 'Incubate',
      },
      Incubate: {
        Type: 'Wait',
        // A culture needs a minute in the incubator: a Wait costs nothing while it waits.
        Seconds: 60,
        Next: 'CultureReady',
      },
      CultureReady: { Type: 'Succeed' },
      CultureFailed: {
        Type: 'Fail',
        // What the execution fails with: chosen here, readable by whoever started it.
        Error: 'Lab.CultureFailed',
        Cause: 'The culture stayed contaminated after 4 attempts, and there is no frozen sample.',
      },
    },
  },
};
