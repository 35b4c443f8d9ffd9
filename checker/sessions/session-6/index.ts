import type { SessionCheckModule } from '../../core/session-check.ts';
import { judge } from './judge.ts';
import { observe } from './observe.ts';
import { staticChecks } from './static.ts';

/** Session 6: Step Functions patterns in the virus lab. */
const session6: SessionCheckModule = {
  staticChecks,
  packageHints: [
    { match: /State machine "labAnalysis" definition is invalid/, title: 'labAnalysis is valid Amazon States Language', hint: 'Every Next and Default must name a state that exists, and every state must be reachable from StartAt. Fix state-machines/lab/analysis.ts.', todo: 1 },
    { match: /State machine "labCulture" definition is invalid/, title: 'labCulture is valid Amazon States Language', hint: 'Each state after GrowCulture must be reachable: HasFrozenSample through the Catch, UseFrozenSample and CultureFailed from it. Fix state-machines/lab/culture.ts.', todo: 4 },
    { match: /State machine "labResponse" definition is invalid/, title: 'labResponse is valid Amazon States Language', hint: 'Each branch of a Parallel is a small state machine of its own: StartAt and States. Fix state-machines/lab/response.ts.', todo: 5 },
    { match: /State machine "labWave" definition is invalid/, title: 'labWave is valid Amazon States Language', hint: 'A Map needs ItemsPath and an ItemProcessor with StartAt and States. Fix state-machines/lab/wave.ts.', todo: 6 },
    { match: /State machine "labAlert" definition is invalid/, title: 'labAlert is valid Amazon States Language', hint: 'Every Next, Default and Catch must name a state that exists. Fix state-machines/lab/alert.ts.', todo: 8 },
  ],
  async behaviourChecks(ctx) {
    return judge(await observe(ctx));
  },
};

export default session6;
