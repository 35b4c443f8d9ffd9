/** Session 2's demo: the board's three calls, by hand: spawn, list, kill, and a kill of one already gone. */
import type { DemoStep } from '../../core/demo.ts';

export const demo: DemoStep[] = [
  {
    say: 'POST /viruses: spawnVirus makes one (201)',
    http: { method: 'POST', path: '/viruses' },
    keep: 'virus',
  },
  { say: 'GET /viruses: the board polls this', http: { method: 'GET', path: '/viruses' } },
  {
    say: 'DELETE /viruses/{id}: what a click on the board does (204)',
    http: { method: 'DELETE', path: '/viruses/{virus}' },
  },
];
