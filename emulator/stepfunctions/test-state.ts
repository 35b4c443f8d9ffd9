/**
 * TestState: runs one state (given alone, or by stateName in a whole machine) on an input,
 * with variables, and a mocked result or error in place of its task or its Map/Parallel
 * work, and reports as AWS does: the output, the next state, a status (SUCCEEDED, FAILED,
 * CAUGHT_ERROR when a Catch took the error, RETRIABLE when a Retry would run the state again)
 * and, at DEBUG, the data after each processing step. A Task without a mock really calls its
 * resource in the local cloud, as on AWS.
 */
import { randomUUID } from 'node:crypto';
import type { StepFunctionsDeps } from './deps.ts';
import { diagnoseDefinition, diagnosticText, type AslDefinition, type AslState } from './definition.ts';
import {
  Cancellation,
  Cancelled,
  VariableScope,
  type Engine,
  type InspectionStep,
  type QueryLanguage,
  type StateRun,
  type TestMock,
} from './engine/context.ts';
import { catchOutput } from './engine/data-flow.ts';
import { StateError } from './engine/errors.ts';
import { errorMatches } from './engine/flow.ts';
import { runState, runStates } from './engine/run.ts';
import { apiErrors } from './errors.ts';
import { History } from './history.ts';
import type { IntegrationContext } from './integrations.ts';
import type { TaskTokens } from './task-tokens.ts';

export interface TestStateRequest {
  definition: string;
  roleArn?: string;
  input?: string;
  inspectionLevel?: 'INFO' | 'DEBUG' | 'TRACE';
  variables?: string;
  stateName?: string;
  mock?: { result?: string; errorOutput?: { error?: string; cause?: string } };
  context?: string;
  stateConfiguration?: { retrierRetryCount?: number };
}

export interface TestStateResponse {
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  status: 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';
  inspectionData?: Record<string, string>;
}

export interface TestStateHost {
  deps: StepFunctionsDeps;
  tokens: TaskTokens;
  startExecution: IntegrationContext['startExecution'];
}

export async function testState(request: TestStateRequest, host: TestStateHost): Promise<TestStateResponse> {
  const { name, state, language } = stateUnderTest(request);
  const input = json(request.input ?? '{}', 'input', apiErrors.invalidExecutionInput);
  const variables =
    request.variables === undefined ? {} : json(request.variables, 'variables', apiErrors.validation);
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables))
    throw apiErrors.validation('The variables field must be a JSON object.');
  const mock = mockOf(request, state);
  const contextOverride =
    request.context === undefined
      ? undefined
      : (json(request.context, 'context', apiErrors.validation) as Record<string, unknown>);
  if (contextOverride && !mock)
    throw apiErrors.validation('The context field can only be specified together with a mock.');

  const inspection: Partial<Record<InspectionStep, unknown>> = {};
  const { clock } = host.deps;
  const history = new History(() => clock.now());
  // The state is entered at event #2, as the first state of an execution is.
  history.add('ExecutionStarted', '', {});
  const cancellation = new Cancellation();
  const roleArn = request.roleArn ?? `arn:aws:iam::${host.deps.accountId}:role/TestState`;
  const engine: Engine = {
    deps: host.deps,
    tokens: host.tokens,
    history,
    execution: {
      arn: `arn:aws:states:${host.deps.region}:${host.deps.accountId}:execution:TestStateMachine:${randomUUID()}`,
      name: 'TestState',
      roleArn,
      input,
      startDate: clock.now(),
    },
    machine: {
      arn: `arn:aws:states:${host.deps.region}:${host.deps.accountId}:stateMachine:TestStateMachine`,
      name: 'TestStateMachine',
    },
    language,
    startSeq: host.deps.trace.record({
      kind: 'sfn.execution.start',
      executionArn: 'TestState',
      stateMachineArn: 'TestState',
      name: `TestState ${name}`,
      input: null,
    }).seq,
    startExecution: host.startExecution,
    mock,
    contextOverride,
    cancellation,
    trace: (entry) => host.deps.trace.record(entry),
    runStates,
    openToken: () => undefined,
    closeToken: (token) => host.tokens.close(token),
    inspect: (step, value) => (inspection[step] = value),
  };
  const scope = new VariableScope();
  for (const [k, v] of Object.entries(variables as Record<string, unknown>)) scope.set(k, v);
  const frame = { thread: '', scope, cancellation };
  // Retry and Catch are reported, not run: TestState runs the state once.
  const { Retry, Catch, ...once } = state;
  let response: TestStateResponse;
  try {
    const outcome = await runState(name, once as AslState, input, frame, engine, language);
    response = { status: 'SUCCEEDED', output: JSON.stringify(outcome.output), nextState: outcome.next };
  } catch (err) {
    if (err instanceof Cancelled || !(err instanceof StateError)) throw err;
    response = await failure(
      err,
      { ...once, Retry, Catch } as AslState,
      name,
      input,
      frame,
      engine,
      language,
      request.stateConfiguration?.retrierRetryCount ?? 0,
    );
  } finally {
    cancellation.cancel();
  }
  if (request.inspectionLevel === 'DEBUG' || request.inspectionLevel === 'TRACE') {
    response.inspectionData = {
      input: JSON.stringify(input),
      ...Object.fromEntries(Object.entries(inspection).map(([k, v]) => [k, JSON.stringify(v)])),
      variables: JSON.stringify(scope.all()),
    };
  }
  return response;
}

async function failure(
  err: StateError,
  state: AslState,
  name: string,
  input: unknown,
  frame: StateRun['frame'],
  engine: Engine,
  language: QueryLanguage,
  retryCount: number,
): Promise<TestStateResponse> {
  const retriers = Array.isArray(state.Retry) ? (state.Retry as Array<Record<string, unknown>>) : [];
  const retrier = retriers.find((r) => errorMatches(r.ErrorEquals, err));
  if (
    retrier &&
    err.isRetryable &&
    retryCount < (typeof retrier.MaxAttempts === 'number' ? retrier.MaxAttempts : 3)
  ) {
    return { status: 'RETRIABLE', error: err.error, cause: err.errorCause, nextState: name };
  }
  const catchers = Array.isArray(state.Catch) ? (state.Catch as Array<Record<string, unknown>>) : [];
  const catcher = catchers.find((c) => errorMatches(c.ErrorEquals, err));
  if (!catcher)
    return { status: 'FAILED', error: err.error || undefined, cause: err.errorCause || undefined };
  const run: StateRun = {
    name,
    state,
    language: (state.QueryLanguage as QueryLanguage | undefined) ?? language,
    input,
    frame,
    engine,
    enteredEventId: 2,
    enteredAt: engine.execution.startDate,
    enterSeq: engine.startSeq,
    retryCount,
  };
  const output = await catchOutput(run, catcher, { Error: err.error, Cause: err.errorCause });
  return {
    status: 'CAUGHT_ERROR',
    error: err.error,
    cause: err.errorCause,
    output: JSON.stringify(output),
    nextState: catcher.Next as string,
  };
}

/** The state to test, checked as CreateStateMachine would check it in a machine of its own. */
function stateUnderTest(request: TestStateRequest): {
  name: string;
  state: AslState;
  language: QueryLanguage;
} {
  const parsed = json(request.definition, 'definition', apiErrors.invalidDefinition) as Record<
    string,
    unknown
  >;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw apiErrors.invalidDefinition('Definition must be a valid JSON object');
  let machine: AslDefinition;
  let name: string;
  if (request.stateName !== undefined) {
    machine = parsed as AslDefinition;
    name = request.stateName;
    if (!machine.States || typeof machine.States !== 'object')
      throw apiErrors.invalidDefinition(
        'With stateName, the definition must be a whole state machine (StartAt and States)',
      );
    if (!findState(machine.States, name))
      throw apiErrors.validation(`The state '${name}' is not in the state machine definition.`);
    const problems = diagnoseDefinition(machine);
    if (problems.length > 0) throw apiErrors.invalidDefinition(problems.map(diagnosticText).join(', '));
  } else {
    if (typeof parsed.Type !== 'string')
      throw apiErrors.invalidDefinition(
        "SCHEMA_VALIDATION_FAILED: The state definition must have a 'Type' at /",
      );
    name = 'TestState';
    // Alone, the state's Next, Default and Catch targets point nowhere: checked with a
    // stand-in Succeed state for each.
    const state = parsed as AslState;
    const targets = [
      state.Next,
      state.Default,
      ...((state.Choices as Array<{ Next?: unknown }>) ?? []).map((c) => c.Next),
      ...((state.Catch as Array<{ Next?: unknown }>) ?? []).map((c) => c.Next),
    ].filter((t): t is string => typeof t === 'string' && t !== name);
    machine = {
      StartAt: name,
      States: {
        [name]: state,
        ...Object.fromEntries(targets.map((t) => [t, { Type: 'Succeed' } as AslState])),
      },
    };
    if (typeof parsed.QueryLanguage === 'string') machine.QueryLanguage = parsed.QueryLanguage;
    const problems = diagnoseDefinition(machine);
    if (problems.length > 0) throw apiErrors.invalidDefinition(problems.map(diagnosticText).join(', '));
  }
  const state = findState(machine.States, name)!;
  const language = (machine.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath') as QueryLanguage;
  return { name, state, language };
}

function findState(states: Record<string, AslState>, name: string): AslState | undefined {
  for (const [n, s] of Object.entries(states)) {
    if (n === name) return s;
    const processor = (s.ItemProcessor ?? s.Iterator) as AslDefinition | undefined;
    const inner = processor?.States ? findState(processor.States, name) : undefined;
    if (inner) return inner;
    for (const b of (s.Branches as AslDefinition[] | undefined) ?? []) {
      const found = findState(b.States ?? {}, name);
      if (found) return found;
    }
  }
  return undefined;
}

function mockOf(request: TestStateRequest, state: AslState): TestMock | undefined {
  if (!request.mock) return undefined;
  if (!['Task', 'Map', 'Parallel'].includes(state.Type))
    throw apiErrors.validation(
      `A mock can only be specified for Task, Map, or Parallel states, not for a ${state.Type} state.`,
    );
  const { result, errorOutput } = request.mock;
  if ((result === undefined) === (errorOutput === undefined))
    throw apiErrors.validation('A mock must have exactly one of result and errorOutput.');
  return errorOutput ? { errorOutput } : { result: json(result!, 'mock.result', apiErrors.validation) };
}

function json(text: string, field: string, error: (detail: string) => Error): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw error(`The ${field} is not valid JSON: ${(err as Error).message}`);
  }
}
