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
        // TODO 6: go on to SpawnWave, a Map over $.slots (ItemsPath), at most 3 iterations at once (MaxConcurrency).
        // Each iteration gets { waveId, slot } (ItemSelector: 'waveId.$': '$.waveId', 'slot.$': '$$.Map.Item.Value')
        // and runs its own small state machine (ItemProcessor): one Task, CreateVirus, running the createVirus Lambda.
        // Keep the viruses in $.viruses (ResultPath), then Next: 'WaveSpawned'.
        Next: 'WaveSpawned',
      },
      WaveSpawned: { Type: 'Succeed' },
    },
  },
};
