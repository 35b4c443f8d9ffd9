/** Session 1's demo: createVirus writes one virus, and the table now holds it. */
import type { DemoStep } from '../../core/demo.ts';

export const demo: DemoStep[] = [
  { say: 'Invoke createVirus: it writes one virus and returns it', invoke: 'createVirus', keep: 'virus' },
  {
    say: 'The table holds it (the board shows it too)',
    scan: { fn: 'createVirus', env: 'VIRUS_TABLE_NAME' },
  },
];
