import type { StateMachine } from '../virusCreation.ts';

/**
 * Chaining and branching: a sample is sequenced, then measured (each Task's output is the next
 * one's input), then a Choice sends the virus to quarantine, treatment or release by strength.
 *
 *   input  { virusId, sample }
 *   output { virusId, genome, strength, verdict }
 */
export const labAnalysis: StateMachine = {
  id: 'LabAnalysisStateMachine',
  name: 'dojo-serverless-${sls:stage}-labAnalysis',
  events: [],
  definition: {
    Comment: 'Sequence a sample, measure the virus, and decide what to do with it',
    StartAt: 'SequenceVirus',
    States: {
      SequenceVirus: {
        Type: 'Task',
        Resource: { 'Fn::GetAtt': ['sequenceVirus', 'Arn'] },
        // No ResultPath: the output { virusId, genome } becomes MeasureStrength's whole input.
        Next: 'MeasureStrength',
      },
      MeasureStrength: {
        Type: 'Task',
        Resource: { 'Fn::GetAtt': ['measureStrength', 'Arn'] },
        Next: 'HowStrong',
      },
      HowStrong: {
        Type: 'Choice',
        // The first rule that matches wins: the strongest case comes first.
        Choices: [
          { Variable: '$.strength', NumericGreaterThanEquals: 70, Next: 'Quarantine' },
          { Variable: '$.strength', NumericGreaterThanEquals: 40, Next: 'Treat' },
        ],
        // Without a Default, a weak virus would fail the execution (States.NoChoiceMatched).
        Default: 'Release',
      },
      Quarantine: { Type: 'Pass', Result: 'quarantine', ResultPath: '$.verdict', End: true },
      Treat: { Type: 'Pass', Result: 'treat', ResultPath: '$.verdict', End: true },
      Release: { Type: 'Pass', Result: 'release', ResultPath: '$.verdict', End: true },
    },
  },
};
