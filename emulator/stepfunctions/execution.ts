/**
 * One execution: the interpreter (engine/) runs its states on the virtual clock, every Task
 * going to the local cloud; it writes AWS's history and the trace as it goes. This file owns
 * the execution's life: started, then SUCCEEDED or FAILED by its states, TIMED_OUT by the
 * machine's TimeoutSeconds, or ABORTED by StopExecution; when it ends every wait inside it is
 * cancelled and its open task tokens close.
 */
import { summarize, type TraceEntry } from '../core/trace.ts';
import type { StepFunctionsDeps } from './deps.ts';
import type { ParsedDefinition } from './definition.ts';
import { Cancellation, Cancelled, VariableScope, type Engine, type QueryLanguage } from './engine/context.ts';
import { StateError } from './engine/errors.ts';
import { runStates } from './engine/run.ts';
import { virtualSleep } from './engine/sleep.ts';
import { dataField, History, ROOT_THREAD } from './history.ts';
import type { IntegrationContext } from './integrations.ts';
import type { TaskTokens } from './task-tokens.ts';
import type { ExecutionStatus } from './status.ts';
import type { MapRun, MapRunConfig, MapRuns } from './map-runs.ts';

export type { ExecutionStatus } from './status.ts';

export interface MachineRef {
  arn: string;
  name: string;
  roleArn: string;
  parsed: ParsedDefinition;
}

export interface ExecutionHost {
  deps: StepFunctionsDeps;
  tokens: TaskTokens;
  mapRuns: MapRuns;
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
  private readonly cancellation = new Cancellation();
  private readonly openTokens = new Set<string>();
  private markDone!: () => void;

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
    this.startSeq = trace.record({
      kind: 'sfn.execution.start',
      cause: init.cause,
      executionArn: this.arn,
      stateMachineArn: this.machine.arn,
      name: this.name,
      input: summarize(JSON.parse(this.input)),
    }).seq;
  }

  /** Starts the states. Separate from the constructor so the service can register it first. */
  start(): void {
    const definition = this.machine.parsed.definition;
    const input = JSON.parse(this.input) as unknown;
    this.history.add('ExecutionStarted', ROOT_THREAD, {
      ...dataField('input', input),
      roleArn: this.machine.roleArn,
    });
    // AWS links the first state to nothing (previousEventId 0).
    this.history.link(ROOT_THREAD, 0);
    const engine = this.engine(input);
    if (typeof definition.TimeoutSeconds === 'number') {
      virtualSleep(this.host.deps.clock, definition.TimeoutSeconds * 1000, this.cancellation).then(
        () => this.finish('TIMED_OUT', { error: 'States.Timeout' }),
        () => undefined,
      );
    }
    const language = (definition.QueryLanguage as QueryLanguage | undefined) ?? 'JSONPath';
    runStates(
      definition,
      input,
      { thread: ROOT_THREAD, scope: new VariableScope(), cancellation: this.cancellation },
      engine,
      language,
    ).then(
      (output) => this.finish('SUCCEEDED', dataField('output', output)),
      (err: unknown) => {
        if (err instanceof Cancelled) return;
        const failure =
          err instanceof StateError
            ? err
            : new StateError('States.Runtime', err instanceof Error ? err.message : String(err));
        this.finish('FAILED', { error: failure.error || undefined, cause: failure.errorCause || undefined });
      },
    );
  }

  /** StopExecution: the execution is ABORTED at once. */
  stop(error?: string, cause?: string): void {
    if (this.status !== 'RUNNING') return;
    this.finish('ABORTED', { error, cause });
  }

  private engine(input: unknown): Engine {
    return new ExecutionEngine(this, this.host, this.cancellation, this.openTokens, input);
  }

  private finish(status: ExecutionStatus, details: Record<string, unknown>): void {
    if (this.status !== 'RUNNING') return;
    const type = {
      SUCCEEDED: 'ExecutionSucceeded',
      FAILED: 'ExecutionFailed',
      ABORTED: 'ExecutionAborted',
      TIMED_OUT: 'ExecutionTimedOut',
      RUNNING: '',
    }[status];
    this.history.add(type, ROOT_THREAD, details, { previous: this.history.lastId() });
    this.status = status;
    this.stopDate = this.host.deps.clock.now();
    this.output = status === 'SUCCEEDED' ? (details.output as string) : undefined;
    this.error = status === 'SUCCEEDED' ? undefined : (details.error as string | undefined);
    this.cause = status === 'SUCCEEDED' ? undefined : (details.cause as string | undefined);
    // Whatever still waits inside (a Wait, a task, its heartbeat) is over; its tokens close.
    this.cancellation.cancel();
    for (const token of this.openTokens) this.host.tokens.close(token);
    this.openTokens.clear();
    this.traceRecord({
      kind: 'sfn.execution.end',
      cause: this.startSeq,
      executionArn: this.arn,
      stateMachineArn: this.machine.arn,
      name: this.name,
      status: this.status,
      output: status === 'SUCCEEDED' ? summarize(JSON.parse(this.output ?? 'null')) : undefined,
      error: this.error,
      errorCause: this.cause,
    });
    this.markDone();
  }

  traceRecord(input: Parameters<StepFunctionsDeps['trace']['record']>[0]): TraceEntry {
    return this.host.deps.trace.record(input);
  }
}

/**
 * What the interpreter sees of one execution. A class, not an object of arrow functions:
 * its methods live once on the prototype, where closures cost each of 10 000 waiting
 * executions a function and a context apiece (emulator/stepfunctions/bench.ts).
 */
class ExecutionEngine implements Engine {
  readonly deps: StepFunctionsDeps;
  readonly tokens: TaskTokens;
  readonly history: History;
  readonly execution: Engine['execution'];
  readonly machine: MachineRef;
  readonly language: QueryLanguage;
  readonly startSeq: number;
  readonly startExecution: IntegrationContext['startExecution'];
  readonly runStates = runStates;

  constructor(
    private readonly owner: Execution,
    private readonly host: ExecutionHost,
    readonly cancellation: Cancellation,
    private readonly openTokens: Set<string>,
    input: unknown,
  ) {
    this.deps = host.deps;
    this.tokens = host.tokens;
    this.history = owner.history;
    this.startExecution = host.startExecution;
    this.execution = {
      arn: owner.arn,
      name: owner.name,
      roleArn: owner.machine.roleArn,
      input,
      startDate: owner.startDate,
    };
    // The machine's own record: its ARN and name are what the interpreter reads of it.
    this.machine = owner.machine;
    this.language =
      (owner.machine.parsed.definition.QueryLanguage as QueryLanguage | undefined) ?? 'JSONPath';
    this.startSeq = owner.startSeq;
  }

  trace(entry: Parameters<StepFunctionsDeps['trace']['record']>[0]): TraceEntry {
    return this.owner.traceRecord(entry);
  }

  openToken(token: string): void {
    this.openTokens.add(token);
  }

  closeToken(token: string): void {
    this.openTokens.delete(token);
    this.tokens.close(token);
  }

  openMapRun(label: string, config: MapRunConfig, plan: number[]): MapRun {
    const { arn, machine } = this.owner;
    return this.host.mapRuns.open(
      { executionArn: arn, stateMachineArn: machine.arn, roleArn: machine.roleArn },
      label,
      config,
      plan,
    );
  }
}
