/** Session 3's demo: what the schedule does every minute, done once by hand, and its virus in the table. */
import type { DemoStep } from '../../core/demo.ts';

export const demo: DemoStep[] = [
  {
    say: 'Invoke createVirus as its rate(1 minute) schedule does: the virus id is the request id',
    invoke: 'createVirus',
    keep: 'virus',
  },
  {
    say: 'The table holds it, next to the ones the schedule made',
    scan: { fn: 'createVirus', env: 'VIRUS_TABLE_NAME' },
  },
];
