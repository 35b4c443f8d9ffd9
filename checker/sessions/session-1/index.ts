import type { SessionCheck } from '../../core/session-check.ts';
import { judge } from './judge.ts';
import { observe } from './observe.ts';
import { staticChecks } from './static.ts';

/** Session 1: the first Lambda writes a virus into a DynamoDB table. */
const session1: SessionCheck = {
  id: 'session-1',
  title: 'Your first Lambda and table',
  // Nothing runs on a schedule yet: the check invokes createVirus itself, ten times.
  defaultMinutes: { local: 1, aws: 1 },
  staticChecks,
  // Without the table, the invocations have nowhere to write: nothing useful to observe.
  blocking: ['s1.table'],
  async behaviourChecks(ctx) {
    return judge(await observe(ctx));
  },
};

export default session1;
