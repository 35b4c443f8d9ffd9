import type { SessionCheck } from '../../core/session-check.ts';
import { judge } from './judge.ts';
import { observe } from './observe.ts';
import { staticChecks } from './static.ts';

/** Session 2: an HTTP API to list, spawn and kill viruses. */
const session2: SessionCheck = {
  id: 'session-2',
  title: 'An HTTP API for the board',
  // Nothing runs on a schedule yet: the check sends its requests and is done.
  defaultMinutes: { local: 1, aws: 1 },
  staticChecks,
  // No blocking check: each route missing only skips the requests that need it.
  async behaviourChecks(ctx) {
    return judge(await observe(ctx));
  },
};

export default session2;
