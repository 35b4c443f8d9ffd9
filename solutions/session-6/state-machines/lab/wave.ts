import type { StateMachine } from '../virusCreation.ts';

/**
 * Dynamic parallelism: a wave of `size` viruses, one Map iteration each, at most 3 at a time
 * so that the board (and the table) are not flooded.
 *
 *   input  { waveId, size }
 *   output { waveId, slots: [1..size], viruses: [{ id, createdAt }, ...] }
 */
export const labWave: StateMachine = {
  id: 'LabWaveStateMachine',
  name: 'dojo-serverless-${sls:stage}-labWave',
  events: [],
  definition: {
    Comment: 'Spawn a wave of viruses, a few at a time',
    StartAt: 'PlanWave',
    States: {
      PlanWave: {
        Type: 'Pass',
        // [1, 2, ..., size]: one item per virus to spawn.
        Parameters: { 'waveId.$': '$.waveId', 'slots.$': 'States.ArrayRange(1, $.size, 1)' },
        Next: 'SpawnWave',
      },
      SpawnWave: {
        Type: 'Map',
        ItemsPath: '$.slots',
        // At most 3 iterations at once; the others wait for a free place.
        MaxConcurrency: 3,
        // What each iteration gets: the wave and its own slot ($$.Map.Item.Value).
        ItemSelector: { 'waveId.$': '$.waveId', 'slot.$': '$$.Map.Item.Value' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'CreateVirus',
          States: {
            CreateVirus: {
              Type: 'Task',
              Resource: { 'Fn::GetAtt': ['createVirus', 'Arn'] },
              End: true,
            },
          },
        },
        // The viruses, in slot order, beside the plan.
        ResultPath: '$.viruses',
        Next: 'WaveSpawned',
      },
      WaveSpawned: { Type: 'Succeed' },
    },
  },
};
