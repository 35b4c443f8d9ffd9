import type { StateMachine } from 'aws-local-stepfunctions';
import type { TraceEntry } from '../core/trace.ts';
import type { StepFunctionsDeps } from './deps.ts';
import type { ParsedDefinition, Scope, StateInfo } from './definition.ts';
import { runtimeError, StateError } from './errors.ts';
import { dataField, History, ROOT_THREAD, toJson } from './history.ts';
import { callIntegration, type IntegrationContext } from './integrations.ts';
import { readPath } from './json-path.ts';
import { unsupportedResourceMessage } from './resources.ts';
import { statesTimeoutError } from './states-timeout.ts';
import type { TaskTokens } from './task-tokens.ts';
import { summarize } from '../core/trace.ts';

/**
 * One execution: aws-local-stepfunctions runs the states (on the virtual clock, since it uses
 * the global timers); every Task is overridden to go to the local cloud; the engine's event
 * log is turned into AWS's history and into trace entries.
 *
 * Two things the engine lacks are built around it here:
 * - Task tokens. `$$.Task.Token` is a getter on the context object that mints a token; the
 *   engine evaluates a Task's Parameters and calls our override in one synchronous stretch,
 *   so the override takes exactly the token its Parameters saw, registers it, and waits for
 *   SendTaskSuccess / SendTaskFailure.
 * - Task-level history events. The override only receives the task's input, so it is matched
 *   to its state entry by order: the n-th call of state X's override belongs to the n-th
 *   entry (or retry) of X. The event log reaches us a few microtasks after the engine wrote
 *   it, so the override waits (in microtasks: virtual time cannot move meanwhile) until the
 *   log has delivered its entry; then it knows its thread and trace cause, and its events
 *   land after the entry in the history.
 */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface MachineRef {
  arn: string;
  name: string;
  roleArn: string;
  parsed: ParsedDefinition;
  engine: StateMachine;
}

export interface ExecutionHost {
  deps: StepFunctionsDeps;
  tokens: TaskTokens;
  startExecution: IntegrationContext['startExecution'];
}

export interface ExecutionInit {
  arn: string;
  name: string;
  machine: MachineRef;
  /** The input as JSON text (as DescribeExecution returns it). */
  input: string;
  /** Trace seq of what started it. */
  cause?: number;
}

export class Execution {
  readonly arn: string;
  readonly name: string;
  readonly machine: MachineRef;
  readonly input: string;
  readonly startDate: number;
  readonly history: History;
  readonly startSeq: number;
  status: ExecutionStatus = 'RUNNING';
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  /** Resolves when the execution has ended and its history is complete. */
  readonly done: Promise<void>;

  private readonly host: ExecutionHost;
  private abortDetails: { error?: string; cause?: string } = {};
  private abort: () => void = () => undefined;
  private markDone!: () => void;
  /** A token `$$.Task.Token` handed out, waiting for the Task whose Parameters asked for it. */
  private mintedToken: string | undefined;
  private readonly openTokens = new Set<string>();
  private readonly calls = new Map<string, number>();
  private readonly entries = new Map<string, number>();
  private readonly slots = new Map<string, AttemptSlot>();
  private readonly slotWaiters = new Map<string, (slot: AttemptSlot | undefined) => void>();
  private readonly attempts = new Map<string, TaskAttempt>();
  private readonly enterSeqs = new Map<string, number>();
  private readonly containerStarts = new Map<string, number>();
  private readonly pendingContainerFailures = new Map<string, { type: string; timestamp: number }>();
  private readonly caughtContainers = new Set<string>();

  constructor(init: ExecutionInit, host: ExecutionHost) {
    this.arn = init.arn;
    this.name = init.name;
    this.machine = init.machine;
    this.input = init.input;
    this.host = host;
    const { clock, trace } = host.deps;
    this.startDate = clock.now();
    this.history = new History(() => clock.now());
    this.done = new Promise((resolve) => (this.markDone = resolve));
    this.startSeq = trace.record({ kind: 'sfn.execution.start', cause: init.cause, executionArn: this.arn, stateMachineArn: this.machine.arn, name: this.name, input: summarize(JSON.parse(this.input)) }).seq;
  }

  /** Starts the engine. Separate from the constructor so the service can register it first. */
  start(): void {
    const token = (): string => (this.mintedToken ??= this.host.tokens.mint());
    const taskContext = {
      get Token(): string {
        return token();
      },
    };
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const info of this.machine.parsed.states.values()) {
      if (info.type === 'Task') handlers[info.name] = (input) => this.runTask(info, input);
    }
    const run = this.machine.engine.run(JSON.parse(this.input), {
      overrides: { taskResourceLocalHandlers: handlers as never },
      context: {
        Execution: { Id: this.arn, Name: this.name, RoleArn: this.machine.roleArn, RedriveCount: 0 },
        StateMachine: { Id: this.machine.arn, Name: this.machine.name },
        Task: taskContext,
      },
    });
    this.abort = run.abort;
    // The outcome is read from the event log (it carries Error and Cause); this only keeps
    // the rejection from going unhandled.
    run.result.catch(() => undefined);
    void this.consume(run.eventLogs);
  }

  /** StopExecution: the execution is ABORTED at once; its history follows. */
  stop(error?: string, cause?: string): void {
    if (this.status !== 'RUNNING') return;
    this.abortDetails = { error, cause };
    this.status = 'ABORTED';
    this.error = error;
    this.cause = cause;
    this.stopDate = this.host.deps.clock.now();
    this.abort();
  }

  private async consume(logs: AsyncGenerator<EngineEvent>): Promise<void> {
    for await (const event of logs) this.onEngineEvent(event);
  }

  // ---- history and trace from the engine's events ----

  private onEngineEvent(e: EngineEvent): void {
    const states = this.machine.parsed.states;
    switch (e.type) {
      case 'ExecutionStarted':
        this.history.add('ExecutionStarted', ROOT_THREAD, { ...dataField('input', e.input), roleArn: this.machine.roleArn }, { timestamp: e.timestamp });
        // AWS links the first state to nothing (previousEventId 0).
        this.history.link(ROOT_THREAD, 0);
        return;
      case 'StateEntered': {
        const info = states.get(e.state.name);
        if (!info) return;
        const thread = threadOf(info.scopes, e.index);
        this.flushContainerFailure(thread);
        this.history.add(`${info.type}StateEntered`, thread, { name: info.name, ...dataField('input', e.state.input) }, { timestamp: e.timestamp });
        const seq = this.traceRecord({ kind: 'sfn.state.enter', cause: this.startSeq, executionArn: this.arn, stateMachineArn: this.machine.arn, state: info.name, type: info.type, input: summarize(e.state.input) }).seq;
        this.enterSeqs.set(key(thread, info.name), seq);
        this.containerStarted(info, thread, e.state.input, e.timestamp, e.index, undefined);
        if (info.type === 'Task') this.expectAttempt(info, thread, seq, e.state.input);
        return;
      }
      case 'StateRetried': {
        const info = states.get(e.state.name);
        if (!info) return;
        const thread = threadOf(info.scopes, e.index);
        this.pendingContainerFailures.delete(thread);
        // A retried container starts again after its failed run's last event.
        this.containerStarted(info, thread, e.state.input, e.timestamp, e.index, this.history.lastId());
        if (info.type === 'Task') this.expectAttempt(info, thread, this.enterSeqs.get(key(thread, info.name)) ?? this.startSeq, e.state.input);
        return;
      }
      case 'StateFailed': {
        const info = states.get(e.state.name);
        if (!info) return;
        const thread = threadOf(info.scopes, e.index);
        if (info.type === 'Task' && e.Error === 'States.Timeout') this.attempts.get(key(thread, info.name))?.timedOut(e.timestamp);
        if (info.type === 'Map' || info.type === 'Parallel') {
          this.flushDescendantFailures(info, e.index);
          this.pendingContainerFailures.set(thread, { type: `${info.type}StateFailed`, timestamp: e.timestamp });
        }
        return;
      }
      case 'StateCaught': {
        const info = states.get(e.state.name);
        if (!info) return;
        const thread = threadOf(info.scopes, e.index);
        if (this.pendingContainerFailures.has(thread)) this.caughtContainers.add(key(thread, info.name));
        this.flushContainerFailure(thread);
        return;
      }
      case 'StateExited': {
        const info = states.get(e.state.name);
        if (!info) return;
        const thread = threadOf(info.scopes, e.index);
        if (info.type === 'Map' || info.type === 'Parallel') {
          this.flushDescendantFailures(info, e.index);
          if (!this.caughtContainers.delete(key(thread, info.name))) this.history.add(`${info.type}StateSucceeded`, thread, undefined, { timestamp: e.timestamp, previous: this.history.lastId() });
        }
        this.history.add(`${info.type}StateExited`, thread, { name: info.name, ...dataField('output', e.state.output) }, { timestamp: e.timestamp });
        this.traceRecord({ kind: 'sfn.state.exit', cause: this.startSeq, executionArn: this.arn, stateMachineArn: this.machine.arn, state: info.name, type: info.type, output: summarize(e.state.output), enterSeq: this.enterSeqs.get(key(thread, info.name)) });
        return;
      }
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const map = states.get(e.parentState.name);
        if (!map) return;
        const iteration = threadOf([...map.scopes, { kind: 'map', state: map.name }], e.index);
        if (e.type === 'MapIterationFailed') this.flushContainerFailure(iteration);
        const previous = e.type === 'MapIterationStarted' ? this.containerStarts.get(key(threadOf(map.scopes, e.index), map.name)) : undefined;
        this.history.add(e.type, iteration, { name: map.name, index: e.index }, { timestamp: e.timestamp, previous });
        return;
      }
      case 'ExecutionSucceeded':
        this.finish('SUCCEEDED', e.timestamp, dataField('output', e.output));
        return;
      case 'ExecutionFailed':
        this.finish('FAILED', e.timestamp, failureDetails(e.Error, e.Cause));
        return;
      case 'ExecutionAborted':
        this.finish('ABORTED', e.timestamp, this.abortDetails);
        return;
      case 'ExecutionTimeout':
        this.finish('TIMED_OUT', e.timestamp, { error: 'States.Timeout' });
        return;
      default:
        // ParallelBranch* events have no AWS counterpart: branches show through their states.
        return;
    }
  }

  private containerStarted(info: StateInfo, thread: string, input: unknown, timestamp: number, index: number | undefined, previous: number | undefined): void {
    if (info.type === 'Map') {
      const length = itemCount(info, input);
      const started = this.history.add('MapStateStarted', thread, length === undefined ? {} : { length }, { timestamp, previous });
      this.containerStarts.set(key(thread, info.name), started.id);
    } else if (info.type === 'Parallel') {
      const started = this.history.add('ParallelStateStarted', thread, undefined, { timestamp, previous });
      const branches = Array.isArray(info.state.Branches) ? info.state.Branches.length : 0;
      for (let b = 0; b < branches; b++) this.history.link(threadOf([...info.scopes, { kind: 'parallel', state: info.name, branch: b }], index), started.id);
    }
  }

  private flushContainerFailure(thread: string): void {
    const pending = this.pendingContainerFailures.get(thread);
    if (!pending) return;
    this.pendingContainerFailures.delete(thread);
    // Like AWS, the container's failure follows the failed branch's or iteration's last event.
    this.history.add(pending.type, thread, undefined, { timestamp: pending.timestamp, previous: this.history.lastId() });
  }

  /** A failing container's inner containers failed first: their events go before its own. */
  private flushDescendantFailures(container: StateInfo, index: number | undefined): void {
    const prefix = threadOf(container.scopes, index);
    for (const thread of [...this.pendingContainerFailures.keys()]) {
      if (thread !== prefix && thread.startsWith(prefix) && thread.includes(container.name)) this.flushContainerFailure(thread);
    }
  }

  private finish(status: ExecutionStatus, timestamp: number, details: Record<string, unknown>): void {
    for (const thread of [...this.pendingContainerFailures.keys()]) this.flushContainerFailure(thread);
    const type = { SUCCEEDED: 'ExecutionSucceeded', FAILED: 'ExecutionFailed', ABORTED: 'ExecutionAborted', TIMED_OUT: 'ExecutionTimedOut', RUNNING: '' }[status];
    this.history.add(type, ROOT_THREAD, details, { timestamp, previous: this.history.lastId() });
    // The engine's word is final: an execution that ended just before a StopExecution reached
    // it keeps the outcome its history shows.
    this.status = status;
    this.stopDate = status === 'ABORTED' ? (this.stopDate ?? timestamp) : timestamp;
    this.output = status === 'SUCCEEDED' ? (details.output as string) : undefined;
    this.error = status === 'SUCCEEDED' ? undefined : (details.error as string | undefined);
    this.cause = status === 'SUCCEEDED' ? undefined : (details.cause as string | undefined);
    // Tasks still waiting (for a token or a heartbeat) are over: their tokens close.
    for (const token of this.openTokens) this.host.tokens.close(token);
    this.openTokens.clear();
    for (const attempt of this.attempts.values()) attempt.finished = true;
    // Overrides still waiting for their entry will not get it now: let them see the end.
    for (const waiter of this.slotWaiters.values()) waiter(undefined);
    this.slotWaiters.clear();
    this.traceRecord({ kind: 'sfn.execution.end', cause: this.startSeq, executionArn: this.arn, stateMachineArn: this.machine.arn, name: this.name, status: this.status, output: status === 'SUCCEEDED' ? summarize(JSON.parse(this.output ?? 'null')) : undefined, error: this.error, errorCause: this.cause });
    this.markDone();
  }

  private traceRecord(input: Parameters<StepFunctionsDeps['trace']['record']>[0]): TraceEntry {
    return this.host.deps.trace.record(input);
  }

  // ---- Tasks ----

  /** The engine entered (or retried) Task `info`: its override call n gets this slot. */
  private expectAttempt(info: StateInfo, thread: string, enterSeq: number, input: unknown): void {
    const n = (this.entries.get(info.name) ?? 0) + 1;
    // The engine calls the override in the same synchronous stretch as the entry; if it has
    // not, the Parameters failed and no call will come for this entry.
    if ((this.calls.get(info.name) ?? 0) < n) return;
    this.entries.set(info.name, n);
    const slotKey = `${info.name}#${n}`;
    const slot = { thread, enterSeq, input };
    const waiter = this.slotWaiters.get(slotKey);
    if (waiter) {
      this.slotWaiters.delete(slotKey);
      waiter(slot);
    } else {
      this.slots.set(slotKey, slot);
    }
  }

  private slotFor(name: string, ordinal: number): Promise<AttemptSlot | undefined> {
    const slotKey = `${name}#${ordinal}`;
    const slot = this.slots.get(slotKey);
    if (slot) {
      this.slots.delete(slotKey);
      return Promise.resolve(slot);
    }
    if (this.status !== 'RUNNING') return Promise.resolve(undefined);
    return new Promise((resolve) => this.slotWaiters.set(slotKey, resolve));
  }

  private runTask(info: StateInfo, input: unknown): Promise<unknown> {
    // Synchronous part: runs right after the engine evaluated this task's Parameters.
    const ordinal = (this.calls.get(info.name) ?? 0) + 1;
    this.calls.set(info.name, ordinal);
    const minted = this.mintedToken;
    this.mintedToken = undefined;
    return (async () => {
      const slot = (await this.slotFor(info.name, ordinal)) ?? { thread: threadOf(info.scopes, undefined), enterSeq: this.startSeq, input };
      // Stopped while the event log caught up: the task never starts.
      if (this.status !== 'RUNNING') throw new StateError('States.Runtime', 'The execution is no longer running.', { retryable: false, catchable: false });
      const attempt = new TaskAttempt(this, info, slot);
      const attemptKey = key(slot.thread, info.name);
      this.attempts.set(attemptKey, attempt);
      try {
        return await this.perform(attempt, info, input, minted);
      } finally {
        attempt.finished = true;
        if (this.attempts.get(attemptKey) === attempt) this.attempts.delete(attemptKey);
      }
    })();
  }

  private async perform(attempt: TaskAttempt, info: StateInfo, input: unknown, minted: string | undefined): Promise<unknown> {
    const resource = info.resource;
    if (!resource) throw runtimeError(unsupportedResourceMessage(String(info.state.Resource)));
    const { deps, tokens } = this.host;
    const ctx: IntegrationContext = { deps, cause: attempt.slot.enterSeq, source: `sfn ${this.machine.name} ${info.name}`, startExecution: this.host.startExecution };
    const timeoutInSeconds = typeof info.state.TimeoutSeconds === 'number' ? info.state.TimeoutSeconds : undefined;

    if (resource.style === 'lambda-function') {
      attempt.record('LambdaFunctionScheduled', { resource: resource.arn, ...dataField('input', input), timeoutInSeconds });
      attempt.record('LambdaFunctionStarted');
      try {
        const output = await callIntegration(resource, input, ctx);
        attempt.record('LambdaFunctionSucceeded', dataField('output', output));
        return output;
      } catch (err) {
        const failure = asStateError(err);
        attempt.record('LambdaFunctionFailed', { error: failure.error, cause: failure.errorCause });
        throw failure;
      }
    }

    const names = { resourceType: resource.resourceType, resource: resource.resource };
    const heartbeatSeconds = heartbeatOf(info, attempt.slot.input);
    attempt.record('TaskScheduled', { ...names, region: deps.region, parameters: toJson(input), timeoutInSeconds, heartbeatInSeconds: heartbeatSeconds });
    attempt.record('TaskStarted', names);
    let issued: ReturnType<TaskTokens['issue']> | undefined;
    if (resource.waitForTaskToken) {
      // Registered before the call: the callee may answer with the token before it returns.
      issued = tokens.issue(minted ?? tokens.mint(), { executionArn: this.arn, stateName: info.name, input });
      this.openTokens.add(issued.token);
      attempt.token = issued.token;
      this.traceRecord({ kind: 'sfn.task.token', cause: attempt.slot.enterSeq, token: issued.token, executionArn: this.arn, stateMachineArn: this.machine.arn, stateName: info.name, input: summarize(input) });
    }
    let result: unknown;
    try {
      result = await callIntegration(resource, input, ctx);
    } catch (err) {
      if (issued) this.closeToken(issued.token);
      const failure = asStateError(err);
      attempt.record('TaskFailed', { ...names, error: failure.error, cause: failure.errorCause });
      throw failure;
    }
    if (!issued) {
      attempt.record('TaskSucceeded', { ...names, ...dataField('output', result) });
      return result;
    }
    attempt.record('TaskSubmitted', { ...names, ...dataField('output', result) });
    if (heartbeatSeconds !== undefined) tokens.watchHeartbeat(issued.token, heartbeatSeconds);
    const outcome = await issued.outcome;
    this.openTokens.delete(issued.token);
    switch (outcome.kind) {
      case 'success':
        attempt.record('TaskSucceeded', { ...names, ...dataField('output', outcome.output) });
        return outcome.output;
      case 'failure':
        attempt.record('TaskFailed', { ...names, error: outcome.error || undefined, cause: outcome.cause || undefined });
        throw new StateError(outcome.error ?? '', outcome.cause ?? '');
      case 'heartbeat-timeout':
        attempt.record('TaskTimedOut', { ...names, error: 'States.Timeout' });
        attempt.finished = true;
        throw statesTimeoutError();
      case 'closed':
        // The task is over already (it timed out, or the execution ended): nobody waits for this.
        throw new StateError('States.Runtime', 'The task is no longer running.', { retryable: false, catchable: false });
    }
  }

  closeToken(token: string): void {
    this.openTokens.delete(token);
    this.host.tokens.close(token);
  }
}

/** One attempt of a Task (retries are new attempts); records its task-level history events. */
class TaskAttempt {
  finished = false;
  token?: string;

  constructor(
    private readonly execution: Execution,
    readonly info: StateInfo,
    readonly slot: AttemptSlot,
  ) {}

  record(type: string, details?: Record<string, unknown>): void {
    if (!this.finished) this.execution.history.add(type, this.slot.thread, details);
  }

  /** The engine timed the task out (TimeoutSeconds): the history says so and its token closes. */
  timedOut(timestamp: number): void {
    if (this.finished) return;
    const resource = this.info.resource;
    if (resource?.style === 'lambda-function') this.execution.history.add('LambdaFunctionTimedOut', this.slot.thread, { error: 'States.Timeout' }, { timestamp });
    else if (resource) this.execution.history.add('TaskTimedOut', this.slot.thread, { resourceType: resource.resourceType, resource: resource.resource, error: 'States.Timeout' }, { timestamp });
    this.finished = true;
    if (this.token) this.execution.closeToken(this.token);
  }
}

interface AttemptSlot {
  thread: string;
  /** Trace seq of the state's entry: the cause of what the task does. */
  enterSeq: number;
  /** The state's raw input (HeartbeatSecondsPath reads it). */
  input: unknown;
}

/** The engine's event log entries (aws-local-stepfunctions does not export the type). */
type StateData = { name: string; type: string; input: unknown; output?: unknown };
type EngineEvent =
  | { type: 'ExecutionStarted'; timestamp: number; input: unknown }
  | { type: 'ExecutionSucceeded'; timestamp: number; output: unknown }
  | { type: 'ExecutionFailed'; timestamp: number; Error: string; Cause: unknown }
  | { type: 'ExecutionAborted' | 'ExecutionTimeout'; timestamp: number }
  | { type: 'MapIterationStarted' | 'MapIterationSucceeded' | 'MapIterationFailed'; timestamp: number; parentState: StateData; index: number }
  | { type: 'ParallelBranchStarted' | 'ParallelBranchSucceeded' | 'ParallelBranchFailed'; timestamp: number; parentState: StateData }
  | { type: 'StateEntered' | 'StateExited' | 'StateRetried' | 'StateCaught'; timestamp: number; state: StateData; index?: number }
  | { type: 'StateFailed'; timestamp: number; state: StateData; index?: number; Error: string; Cause: unknown };

function key(thread: string, state: string): string {
  return `${thread}|${state}`;
}

/**
 * The thread (for previousEventId) a state's events belong to. The engine reports one Map
 * iteration index per event, so states in nested Maps share the outer index's thread.
 */
function threadOf(scopes: Scope[], index: number | undefined): string {
  return scopes.map((s) => (s.kind === 'parallel' ? `${s.state}[${s.branch}]` : `${s.state}#${index ?? 0}`)).join('/');
}

function itemCount(info: StateInfo, input: unknown): number | undefined {
  const state = info.state;
  let value = input;
  if (typeof state.InputPath === 'string') value = readPath(value, state.InputPath);
  else if (state.InputPath === null) value = {};
  if (typeof state.ItemsPath === 'string') value = readPath(value, state.ItemsPath);
  return Array.isArray(value) ? value.length : undefined;
}

function heartbeatOf(info: StateInfo, input: unknown): number | undefined {
  const { HeartbeatSeconds, HeartbeatSecondsPath } = info.state;
  if (typeof HeartbeatSeconds === 'number') return HeartbeatSeconds;
  if (typeof HeartbeatSecondsPath === 'string') {
    const value = readPath(input, HeartbeatSecondsPath);
    if (typeof value === 'number' && value > 0) return value;
  }
  return undefined;
}

/**
 * Error and Cause of a failed execution as AWS shows them. The engine names a Fail state
 * without Error "FailStateError" and gives timeouts the cause "States.Timeout"; AWS shows
 * no error / no cause there.
 */
function failureDetails(error: string, cause: unknown): { error?: string; cause?: string } {
  const text = cause === undefined || cause === null ? undefined : typeof cause === 'string' ? cause : JSON.stringify(cause);
  return {
    error: error === 'FailStateError' || error === '' ? undefined : error,
    cause: text === 'Execution failed because of a Fail state' || text === 'States.Timeout' || text === '' ? undefined : text,
  };
}

function asStateError(err: unknown): StateError {
  if (err instanceof StateError) return err;
  return new StateError('States.TaskFailed', err instanceof Error ? err.message : String(err));
}

