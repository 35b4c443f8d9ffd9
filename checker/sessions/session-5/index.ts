import type { SessionCheck } from '../../core/session-check.ts';
import { judge } from './judge.ts';
import { observe } from './observe.ts';
import { END_AFTER } from './scenario.ts';
import { staticChecks } from './static.ts';

/** Session 5: a dynamic scheduler driven by Schedule Start, Tick and Stop events. */
const session5: SessionCheck = {
  id: 'session-5',
  title: 'A dynamic scheduler',
  // The scenario has a fixed length (scenario.ts); --minutes does not change it.
  defaultMinutes: { local: END_AFTER / 60_000, aws: END_AFTER / 60_000 },
  staticChecks,
  packageHints: [
    {
      match: /State machine "scheduler" definition is invalid/,
      title: 'The scheduler is valid Amazon States Language',
      hint: 'Every Next and Default must name a state that exists, and every state must be reachable from StartAt. Fix state-machines/scheduler.ts.',
      todo: 7,
      docs: 'sessions/session-5#todo-7',
    },
  ],
  // Without the Start rule, no schedule ever starts: there is nothing to watch.
  blocking: ['s5.start-rule'],
  async behaviourChecks(ctx) {
    return judge(await observe(ctx));
  },
};

export default session5;
