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
        // TODO 1: go on to MeasureStrength, a Task that runs the measureStrength Lambda, and from there to
        // HowStrong. Each Task's output is the whole input of the next one: no ResultPath, no OutputPath.
        End: true,
      },
      // TODO 2: HowStrong, a Choice on $.strength: 70 or more → Quarantine, 40 or more → Treat, anything else
      // (its Default) → Release. The three verdicts are Pass states that put their name in $.verdict:
      // Quarantine: { Type: 'Pass', Result: 'quarantine', ResultPath: '$.verdict', End: true }; the same for Treat and Release.
    },
  },
};
