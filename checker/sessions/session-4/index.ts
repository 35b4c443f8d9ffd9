import type { SessionCheck } from '../../core/session-check.ts';
import { judge } from './judge.ts';
import { observe } from './observe.ts';
import { staticChecks } from './static.ts';

/** Session 4: EventBridge fan-out and a three-state Step Function. */
const session4: SessionCheck = {
  id: 'session-4',
  title: 'EventBridge fan-out and a Step Function',
  // 20 virtual minutes = 60 executions for the pipeline checks; the draw is judged apart
  // (measured by probe.ts locally, by the statistics of stats.ts on AWS), so the window
  // need not be long.
  defaultMinutes: { local: 20, aws: 4 },
  staticChecks,
  packageHints: [
    {
      // serverless-step-functions validates the ASL when packaging (stepFunctions.validate).
      match: /State machine "[^"]+" definition is invalid/,
      title: 'The state machine is valid Amazon States Language',
      hint: 'Every Next must name a state that exists, and every state must be reachable from StartAt. Fix state-machines/virusCreation.ts.',
      todo: 6,
      docs: 'sessions/session-4#todo-6',
    },
  ],
  blocking: ['s4.states'],
  async behaviourChecks(ctx) {
    return judge(await observe(ctx), ctx.minutes);
  },
};

export default session4;
