/** Session 4: EventBridge fan-out and a three-state Step Function. */
import type { SessionCheckModule } from '../../core/session-check.ts';
import { judge } from './judge.ts';
import { observe } from './observe.ts';
import { staticChecks } from './static.ts';

const session4: SessionCheckModule = {
  staticChecks,
  packageHints: [
    {
      // serverless-step-functions validates the ASL when packaging (stepFunctions.validate).
      match: /State machine "[^"]+" definition is invalid/,
      title: 'The state machine is valid Amazon States Language',
      hint: 'Every Next must name a state that exists, and every state must be reachable from StartAt. Fix state-machines/virusCreation.ts.',
      todo: 6,
    },
  ],
  async behaviourChecks(ctx) {
    return judge(await observe(ctx), ctx.minutes);
  },
};

export default session4;
