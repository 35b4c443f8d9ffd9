/** Session 4's demo: one VIRUS_CREATION_REQUESTED on the bus, by hand; its rule starts virusCreation, which waits. */
import type { DemoStep } from '../../core/demo.ts';

export const demo: DemoStep[] = [
  {
    say: 'Put one VIRUS_CREATION_REQUESTED on the bus, as spreadVirus does three times a minute',
    putEvent: {
      busOf: 'spreadVirus',
      source: 'dojo-serverless',
      detailType: 'VIRUS_CREATION_REQUESTED',
      detail: {},
    },
  },
  {
    say: 'Its rule started virusCreation: the execution waits the seconds ChooseWaitTime chose',
    running: 'virusCreation',
    keep: 'execution',
  },
];
