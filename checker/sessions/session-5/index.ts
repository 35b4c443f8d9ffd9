import type { SessionCheckModule } from '../../core/session-check.ts';
import { judge } from './judge.ts';
import { observe } from './observe.ts';
import { staticChecks } from './static.ts';

/** Session 5: a dynamic scheduler driven by Schedule Start, Tick and Stop events. */
const session5: SessionCheckModule = {
  staticChecks,
  packageHints: [
    {
      match: /State machine "scheduler" definition is invalid/,
      title: 'The scheduler is valid Amazon States Language',
      hint: 'Every Next and Default must name a state that exists, and every state must be reachable from StartAt. Fix state-machines/scheduler.ts.',
      todo: 7,
    },
  ],
  async behaviourChecks(ctx) {
    return judge(await observe(ctx));
  },
};

export default session5;
