/** Session 2: an HTTP API to list, spawn and kill viruses. */
import type { SessionCheckModule } from '../../core/session-check.ts';
import { judge } from './judge.ts';
import { observe } from './observe.ts';
import { staticChecks } from './static.ts';

const session2: SessionCheckModule = {
  staticChecks,
  // No blocking check: each route missing only skips the requests that need it.
  async behaviourChecks(ctx) {
    return judge(await observe(ctx));
  },
};

export default session2;
