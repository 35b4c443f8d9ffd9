/**
 * Parallel: every branch runs at once on the state's input, each in its own history thread
 * and variable scope (it reads the outer variables; what it assigns stays in the branch); the
 * result is the branches' outputs in branch order. The first branch to fail fails the state
 * and stops the others.
 */
import type { AslDefinition } from '../../asl.ts';
import { Cancellation, VariableScope, type StateRun } from '../context.ts';
import { effectiveInput, stateOutput } from '../data-flow.ts';
import { StateError } from '../errors.ts';
import { nextOf, withRetry, type StateOutcome } from '../flow.ts';

export async function runParallel(run: StateRun): Promise<StateOutcome> {
  const result = await withRetry(run, () => attempt(run));
  return { output: await stateOutput(run, result, 'result'), next: nextOf(run.state) };
}

async function attempt(run: StateRun): Promise<unknown> {
  const { engine, frame, name, state } = run;
  const input = await effectiveInput(run, { parameters: true });
  if (engine.mock) {
    if (engine.mock.errorOutput)
      throw new StateError(engine.mock.errorOutput.error ?? '', engine.mock.errorOutput.cause ?? '');
    return engine.mock.result;
  }
  const history = engine.history;
  // A retried Parallel starts again after its failed run's last event.
  const started = history.add('ParallelStateStarted', frame.thread, undefined, {
    previous: run.retryCount > 0 ? history.lastId() : undefined,
  });
  const branches = (state.Branches as AslDefinition[]) ?? [];
  const cancellation = new Cancellation(frame.cancellation);
  const runs = branches.map((branch, i) => {
    const thread = `${frame.thread}/${name}[${i}]`;
    history.link(thread, started.id);
    return engine.runStates(
      branch,
      input,
      { thread, scope: new VariableScope(frame.scope), cancellation },
      engine,
      engine.language,
    );
  });
  try {
    const results = await Promise.all(runs);
    history.add('ParallelStateSucceeded', frame.thread, undefined, { previous: history.lastId() });
    return results;
  } catch (err) {
    cancellation.cancel();
    for (const r of runs) r.catch(() => undefined);
    if (!frame.cancellation.isCancelled())
      history.add('ParallelStateFailed', frame.thread, undefined, { previous: history.lastId() });
    throw err;
  }
}
