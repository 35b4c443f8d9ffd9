/**
 * The interpreter's loop: a block of states (the machine, a Parallel branch, a Map iteration)
 * runs from StartAt through Next until a state ends it; each state is entered and exited in
 * the history, its type's handler does its work, and Retry (in the handlers that have it) and
 * Catch (here) handle what fails, as the States Language specifies.
 */
import { summarize } from '../../core/trace.ts';
import { dataField } from '../history.ts';
import type { AslDefinition, AslState } from '../asl.ts';
import { Cancelled, type Frame, type QueryLanguage, type StateRun, type Engine } from './context.ts';
import { catchOutput } from './data-flow.ts';
import { StateError } from './errors.ts';
import { errorMatches, type StateOutcome } from './flow.ts';
import { STATE_HANDLERS } from './states/index.ts';

/** Runs a block of states to its end; resolves with the last output or throws the uncaught error. */
export async function runStates(
  block: AslDefinition,
  input: unknown,
  frame: Frame,
  engine: Engine,
  language: QueryLanguage,
): Promise<unknown> {
  let name: string | undefined = block.StartAt;
  let value = input;
  while (name !== undefined) {
    if (frame.cancellation.isCancelled()) throw new Cancelled();
    const state = block.States[name];
    const outcome = await runState(name, state, value, frame, engine, language);
    value = outcome.output;
    name = outcome.next;
  }
  return value;
}

export async function runState(
  name: string,
  state: AslState,
  input: unknown,
  frame: Frame,
  engine: Engine,
  inherited: QueryLanguage,
): Promise<StateOutcome> {
  const language = (state.QueryLanguage as QueryLanguage | undefined) ?? inherited;
  const entered = engine.history.add(`${state.Type}StateEntered`, frame.thread, {
    name,
    ...dataField('input', input),
  });
  const enterSeq = engine.trace({
    kind: 'sfn.state.enter',
    cause: engine.startSeq,
    executionArn: engine.execution.arn,
    stateMachineArn: engine.machine.arn,
    state: name,
    type: state.Type,
    input: summarize(input),
  }).seq;
  const run: StateRun = {
    name,
    state,
    language,
    input,
    frame,
    engine,
    enteredEventId: entered.id,
    enteredAt: entered.timestamp,
    enterSeq,
    retryCount: 0,
  };
  let outcome: StateOutcome;
  try {
    outcome = await STATE_HANDLERS[state.Type](run);
  } catch (err) {
    if (err instanceof Cancelled || !(err instanceof StateError)) throw err;
    const catcher = findCatcher(state, err);
    if (!catcher) throw err;
    const output = await catchOutput(run, catcher, { Error: err.error, Cause: err.errorCause });
    outcome = { output, next: catcher.Next as string };
  }
  exited(run, outcome.output);
  return outcome;
}

function exited(run: StateRun, output: unknown): void {
  const { engine, frame, name, state } = run;
  engine.history.add(`${state.Type}StateExited`, frame.thread, { name, ...dataField('output', output) });
  engine.trace({
    kind: 'sfn.state.exit',
    cause: engine.startSeq,
    executionArn: engine.execution.arn,
    stateMachineArn: engine.machine.arn,
    state: name,
    type: state.Type,
    output: summarize(output),
    enterSeq: run.enterSeq,
  });
}

function findCatcher(state: AslState, err: StateError): Record<string, unknown> | undefined {
  const catchers = Array.isArray(state.Catch) ? (state.Catch as Array<Record<string, unknown>>) : [];
  return catchers.find((c) => errorMatches(c.ErrorEquals, err));
}
