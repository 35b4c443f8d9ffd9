/** Each state type's handler, by Type. */
import type { StateRun } from '../context.ts';
import type { StateOutcome } from '../flow.ts';
import { runChoice } from './choice.ts';
import { runFail } from './fail.ts';
import { runMap } from './map.ts';
import { runParallel } from './parallel.ts';
import { runPass } from './pass.ts';
import { runSucceed } from './succeed.ts';
import { runTask } from './task.ts';
import { runWait } from './wait.ts';

export const STATE_HANDLERS: Record<string, (run: StateRun) => Promise<StateOutcome>> = {
  Pass: runPass,
  Task: runTask,
  Choice: runChoice,
  Wait: runWait,
  Succeed: runSucceed,
  Fail: runFail,
  Parallel: runParallel,
  Map: runMap,
};
