/** Succeed: ends its block (the execution, a branch or an iteration) with its input. */
import type { StateRun } from '../context.ts';
import { effectiveInput, stateOutput } from '../data-flow.ts';
import type { StateOutcome } from '../flow.ts';

export async function runSucceed(run: StateRun): Promise<StateOutcome> {
  const input = await effectiveInput(run, { parameters: false });
  return { output: await stateOutput(run, input, 'passthrough'), next: undefined };
}
