/**
 * Wait: for Seconds / SecondsPath, or until Timestamp / TimestampPath, on virtual time
 * (JSONata gives Seconds and Timestamp as expressions).
 */
import { pathData, where, type StateRun } from '../context.ts';
import { effectiveInput, maybeExpression, stateOutput } from '../data-flow.ts';
import { StatesRuntime } from '../errors.ts';
import { select } from '../paths.ts';
import { nextOf, type StateOutcome } from '../flow.ts';
import { virtualSleep } from '../sleep.ts';

export async function runWait(run: StateRun): Promise<StateOutcome> {
  const input = await effectiveInput(run, { parameters: false });
  const ms = await waitMs(run, input);
  await virtualSleep(run.engine.deps.clock, ms, run.frame.cancellation);
  return { output: await stateOutput(run, input, 'passthrough'), next: nextOf(run.state) };
}

async function waitMs(run: StateRun, input: unknown): Promise<number> {
  const { state } = run;
  const now = run.engine.deps.clock.now();
  const read = (path: string, field: string) => {
    const s = select(path, pathData(run, input));
    if (!s.found)
      throw new StatesRuntime(`${where(run)}Invalid path '${path}' : No results for path: ${path}`);
    return { value: s.value, field };
  };
  let seconds: unknown;
  let timestamp: unknown;
  if (state.Seconds !== undefined) seconds = await maybeExpression(run, state.Seconds, 'Seconds');
  else if (typeof state.SecondsPath === 'string') seconds = read(state.SecondsPath, 'SecondsPath').value;
  else if (state.Timestamp !== undefined)
    timestamp = await maybeExpression(run, state.Timestamp, 'Timestamp');
  else if (typeof state.TimestampPath === 'string')
    timestamp = read(state.TimestampPath, 'TimestampPath').value;
  if (seconds !== undefined) {
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw new StatesRuntime(
        `${where(run)}The ${state.Seconds !== undefined ? 'Seconds' : 'SecondsPath'} parameter does not reference a valid non-negative integer: ${JSON.stringify(seconds)}`,
      );
    }
    return seconds * 1000;
  }
  const at =
    typeof timestamp === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(timestamp)
      ? Date.parse(timestamp)
      : NaN;
  if (Number.isNaN(at))
    throw new StatesRuntime(
      `${where(run)}The ${state.Timestamp !== undefined ? 'Timestamp' : 'TimestampPath'} parameter does not reference a valid ISO-8601 extended offset date-time format string: ${JSON.stringify(timestamp)}`,
    );
  return Math.max(0, at - now);
}
