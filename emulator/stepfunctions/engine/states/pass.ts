/**
 * Pass: its input (through Parameters) or its Result becomes its result (JSONPath), or its
 * Output (JSONata, default: the input).
 */
import type { StateRun } from '../context.ts';
import { effectiveInput, stateOutput } from '../data-flow.ts';
import { nextOf, type StateOutcome } from '../flow.ts';

export async function runPass(run: StateRun): Promise<StateOutcome> {
  if (run.language === 'JSONata')
    return { output: await stateOutput(run, run.input, 'passthrough'), next: nextOf(run.state) };
  const result =
    run.state.Result !== undefined ? run.state.Result : await effectiveInput(run, { parameters: true });
  return { output: await stateOutput(run, result, 'result'), next: nextOf(run.state) };
}
