/** Session 5's demo: a `Schedule Start` with a cron expression, the execution that waits for its ticks, and a `Schedule Stop`. */
import type { DemoStep } from '../../core/demo.ts';

const id = 'demo:every-minute';

export const demo: DemoStep[] = [
  {
    say: 'Put a Schedule Start: a cron expression, as data (five fields, UTC)',
    putEvent: {
      busOf: 'startSchedule',
      source: 'dojo.demo',
      detailType: 'Schedule Start',
      detail: { id, cron: '* * * * *', limit: 5 },
    },
  },
  {
    say: 'One scheduler execution per schedule, waiting until its next tick (TimestampPath)',
    running: 'scheduler',
    keep: 'scheduler',
  },
  {
    say: 'Put a Schedule Stop: the loop finds no schedule before its next tick, and ends',
    putEvent: { busOf: 'startSchedule', source: 'dojo.demo', detailType: 'Schedule Stop', detail: { id } },
  },
];
