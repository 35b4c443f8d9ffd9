/**
 * Task: calls the service behind its Resource through the local cloud (integrations.ts), with
 * AWS's task-level history (LambdaFunction* for a function ARN, Task* for an integration),
 * TimeoutSeconds and HeartbeatSeconds on virtual time, and `.waitForTaskToken`: the token is
 * minted before Parameters / Arguments are evaluated (so `$$.Task.Token` is it), registered
 * before the call, and the task waits for SendTaskSuccess / SendTaskFailure.
 */
import { summarize } from '../../../core/trace.ts';
import { dataField, toJson } from '../../history.ts';
import { callIntegration, type IntegrationContext } from '../../integrations.ts';
import { classifyResource, unsupportedResourceMessage, type TaskResource } from '../../resources.ts';
import { pathData, where, type StateRun } from '../context.ts';
import { effectiveInput, maybeExpression, stateOutput } from '../data-flow.ts';
import { StateError, StatesRuntime, StatesTimeout } from '../errors.ts';
import { select } from '../paths.ts';
import { nextOf, withRetry, type StateOutcome } from '../flow.ts';
import { virtualSleep } from '../sleep.ts';

export async function runTask(run: StateRun): Promise<StateOutcome> {
  const resource = classifyResource(String(run.state.Resource));
  const result = await withRetry(run, () => attempt(run, resource));
  return { output: await stateOutput(run, result, 'result'), next: nextOf(run.state) };
}

async function attempt(run: StateRun, resource: TaskResource | undefined): Promise<unknown> {
  const { engine } = run;
  run.taskToken = resource?.waitForTaskToken && !engine.mock ? engine.tokens.mint() : undefined;
  const input = await effectiveInput(run, { parameters: true });
  if (engine.mock) return mocked(run);
  if (!resource) throw new StatesRuntime(unsupportedResourceMessage(String(run.state.Resource)));
  const timeoutSeconds = await seconds(run, 'TimeoutSeconds');
  const heartbeatSeconds = await seconds(run, 'HeartbeatSeconds');
  const task = new TaskAttempt(run, resource);
  const work = perform(run, task, resource, input, timeoutSeconds, heartbeatSeconds);
  try {
    if (timeoutSeconds === undefined) return await run.frame.cancellation.guard(work);
    const timeout = virtualSleep(engine.deps.clock, timeoutSeconds * 1000, run.frame.cancellation).then(
      () => {
        throw task.timedOut();
      },
    );
    return await Promise.race([run.frame.cancellation.guard(work), timeout]);
  } finally {
    task.finish();
    work.catch(() => undefined);
  }
}

/** TestState's mock: the mocked result, or the mocked error. */
function mocked(run: StateRun): unknown {
  const mock = run.engine.mock!;
  if (mock.errorOutput) throw new StateError(mock.errorOutput.error ?? '', mock.errorOutput.cause ?? '');
  return mock.result;
}

/** TimeoutSeconds / HeartbeatSeconds: a number, a `...Path` into the input, or (JSONata) an expression. */
async function seconds(
  run: StateRun,
  field: 'TimeoutSeconds' | 'HeartbeatSeconds',
): Promise<number | undefined> {
  const { state } = run;
  let value = await maybeExpression(run, state[field], field);
  const path = state[`${field}Path`];
  if (typeof path === 'string') {
    const s = select(path, pathData(run, run.input));
    if (!s.found)
      throw new StatesRuntime(`${where(run)}Invalid path '${path}' : No results for path: ${path}`);
    value = s.value;
  }
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw new StatesRuntime(
      `${where(run)}The ${field}${path === undefined ? '' : 'Path'} field must give a positive integer, but gave ${JSON.stringify(value)}`,
    );
  return value;
}

async function perform(
  run: StateRun,
  task: TaskAttempt,
  resource: TaskResource,
  input: unknown,
  timeoutInSeconds: number | undefined,
  heartbeatSeconds: number | undefined,
): Promise<unknown> {
  const { engine } = run;
  const ctx: IntegrationContext = {
    deps: engine.deps,
    cause: run.enterSeq,
    source: `sfn ${engine.machine.name} ${run.name}`,
    startExecution: engine.startExecution,
  };

  if (resource.style === 'lambda-function') {
    task.record('LambdaFunctionScheduled', {
      resource: resource.arn,
      ...dataField('input', input),
      timeoutInSeconds,
    });
    task.record('LambdaFunctionStarted');
    try {
      const output = await callIntegration(resource, input, ctx);
      task.record('LambdaFunctionSucceeded', dataField('output', output));
      return output;
    } catch (err) {
      const failure = asStateError(err);
      task.record('LambdaFunctionFailed', { error: failure.error, cause: failure.errorCause });
      throw failure;
    }
  }

  const names = { resourceType: resource.resourceType, resource: resource.resource };
  task.record('TaskScheduled', {
    ...names,
    region: engine.deps.region,
    parameters: toJson(input),
    timeoutInSeconds,
    heartbeatInSeconds: heartbeatSeconds,
  });
  task.record('TaskStarted', names);
  let issued: ReturnType<typeof engine.tokens.issue> | undefined;
  if (resource.waitForTaskToken) {
    // Registered before the call: the callee may answer with the token before it returns.
    issued = engine.tokens.issue(run.taskToken ?? engine.tokens.mint(), {
      executionArn: engine.execution.arn,
      stateName: run.name,
      input,
    });
    task.token = issued.token;
    engine.openToken(issued.token);
    engine.trace({
      kind: 'sfn.task.token',
      cause: run.enterSeq,
      token: issued.token,
      executionArn: engine.execution.arn,
      stateMachineArn: engine.machine.arn,
      stateName: run.name,
      input: summarize(input),
    });
  }
  let result: unknown;
  try {
    result = await callIntegration(resource, input, ctx);
  } catch (err) {
    if (issued) engine.closeToken(issued.token);
    const failure = asStateError(err);
    task.record('TaskFailed', { ...names, error: failure.error, cause: failure.errorCause });
    throw failure;
  }
  if (!issued) {
    task.record('TaskSucceeded', { ...names, ...dataField('output', result) });
    return result;
  }
  task.record('TaskSubmitted', { ...names, ...dataField('output', result) });
  if (heartbeatSeconds !== undefined) engine.tokens.watchHeartbeat(issued.token, heartbeatSeconds);
  const outcome = await issued.outcome;
  engine.closeToken(issued.token);
  switch (outcome.kind) {
    case 'success':
      task.record('TaskSucceeded', { ...names, ...dataField('output', outcome.output) });
      return outcome.output;
    case 'failure':
      task.record('TaskFailed', {
        ...names,
        error: outcome.error || undefined,
        cause: outcome.cause || undefined,
      });
      throw new StateError(outcome.error ?? '', outcome.cause ?? '');
    case 'heartbeat-timeout':
      task.record('TaskTimedOut', { ...names, error: 'States.Timeout' });
      task.finish();
      throw new StatesTimeout();
    case 'closed':
      // The task is over already (it timed out, or the execution ended): nobody waits for this.
      throw new StatesRuntime('The task is no longer running.');
  }
}

/** One attempt of a Task (retries are new attempts): its history events, until it is over. */
class TaskAttempt {
  private finished = false;
  token?: string;

  constructor(
    private readonly run: StateRun,
    private readonly resource: TaskResource,
  ) {}

  record(type: string, details?: Record<string, unknown>): void {
    if (!this.finished && !this.run.frame.cancellation.isCancelled())
      this.run.engine.history.add(type, this.run.frame.thread, details);
  }

  /** TimeoutSeconds ran out: the history says so, its token closes, and the state fails. */
  timedOut(): StatesTimeout {
    if (!this.finished) {
      const r = this.resource;
      if (r.style === 'lambda-function') this.record('LambdaFunctionTimedOut', { error: 'States.Timeout' });
      else
        this.record('TaskTimedOut', {
          resourceType: r.resourceType,
          resource: r.resource,
          error: 'States.Timeout',
        });
      this.finish();
    }
    return new StatesTimeout();
  }

  finish(): void {
    this.finished = true;
    if (this.token) this.run.engine.closeToken(this.token);
  }
}

function asStateError(err: unknown): StateError {
  if (err instanceof StateError) return err;
  return new StateError('States.TaskFailed', err instanceof Error ? err.message : String(err));
}
