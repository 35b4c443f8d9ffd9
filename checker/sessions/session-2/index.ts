import type { SessionCheckModule } from '../../core/session-check.ts';
import { judge } from './judge.ts';
import { observe } from './observe.ts';
import { staticChecks } from './static.ts';

/** Session 2: an HTTP API to list, spawn and kill viruses. */
const session2: SessionCheckModule = {
  staticChecks,
  // No blocking check: each route missing only skips the requests that need it.
  async behaviourChecks(ctx) {
    return judge(await observe(ctx));
  },
};

export default session2;
