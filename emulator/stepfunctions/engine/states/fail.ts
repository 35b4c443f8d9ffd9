/**
 * Fail: fails its block with Error and Cause, given as text, as paths (ErrorPath, CausePath:
 * reference paths, `$$` or an intrinsic) or, in JSONata, as expressions.
 */
import { pathData, type StateRun } from '../context.ts';
import { maybeExpression, payloadTemplate } from '../data-flow.ts';
import { StateError, StatesRuntime } from '../errors.ts';
import type { StateOutcome } from '../flow.ts';

export async function runFail(run: StateRun): Promise<StateOutcome> {
  const error = await field(run, 'Error');
  const cause = await field(run, 'Cause');
  throw new StateError(error ?? '', cause ?? '');
}

async function field(run: StateRun, name: 'Error' | 'Cause'): Promise<string | undefined> {
  const { state } = run;
  let value: unknown = await maybeExpression(run, state[name], name);
  const path = state[`${name}Path`];
  if (typeof path === 'string')
    value = (
      payloadTemplate({ [`${name}Path.$`]: path }, pathData(run, run.input), run) as Record<string, unknown>
    )[`${name}Path`];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new StatesRuntime(
      `An error occurred while executing the state '${run.name}' (entered at the event id #${run.enteredEventId}). The ${name}${path === undefined ? '' : 'Path'} field must give a string, but gave ${JSON.stringify(value)}`,
    );
  return value;
}
