/** Session 1: the first Lambda writes a virus into a DynamoDB table. */
import type { SessionCheckModule } from '../../core/session-check.ts';
import { judge } from './judge.ts';
import { observe } from './observe.ts';
import { staticChecks } from './static.ts';

const session1: SessionCheckModule = {
  staticChecks,
  async behaviourChecks(ctx) {
    return judge(await observe(ctx));
  },
};

export default session1;
