/**
 * Step Functions of the local cloud: state machines, executions run by our interpreter
 * (engine/) on the virtual clock with every Task going to the local cloud, task tokens and
 * AWS-shaped history. Its JSON API, which the gateway serves, is `api.ts`.
 *
 *   const sfn = new StepFunctionsService(deps);
 *   const { stateMachineArn } = sfn.createStateMachine({ name, definition, roleArn });
 *   const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{}' });
 *   await clock.advance(60_000);
 *   sfn.describeExecution(executionArn).status; // 'SUCCEEDED'
 */
import { randomUUID } from 'node:crypto';
import { ChildExecution, MapRuns, type MapRun } from './map-runs.ts';
import { executionArnOf, parseStatesArn, stateMachineArnOf, validateName } from './arns.ts';
import type { StepFunctionsDeps } from './deps.ts';
import { diagnoseDefinition, parseDefinition } from './definition.ts';
import { PAYLOAD_LIMIT } from './engine/data-flow.ts';
import { apiErrors } from './errors.ts';
import { Execution, type ExecutionStatus, type MachineRef } from './execution.ts';
import type { HistoryEvent } from './history.ts';
import { TaskTokens, type PendingTaskToken } from './task-tokens.ts';
import { testState, type TestStateRequest, type TestStateResponse } from './test-state.ts';
import type { Diagnostic } from './validation.ts';

export type { LambdaInvokeResult, PutEventsEntry, PutEventsResult, StepFunctionsDeps } from './deps.ts';
export type { ExecutionStatus } from './execution.ts';
export type { HistoryEvent } from './history.ts';
export type { PendingTaskToken } from './task-tokens.ts';

export interface CreateStateMachineInput {
  name: string;
  /** ASL as JSON text or as an object. */
  definition: string | object;
  roleArn: string;
  type?: 'STANDARD' | 'EXPRESS';
}

export interface StateMachineDescription {
  stateMachineArn: string;
  name: string;
  status: 'ACTIVE';
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  creationDate: Date;
}

export interface StartExecutionInput {
  stateMachineArn: string;
  name?: string;
  /** JSON text (as the API takes it) or a value (as EventBridge targets pass events). Default `{}`. */
  input?: unknown;
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  /** JSON text. */
  input: string;
  /** JSON text, once SUCCEEDED. */
  output?: string;
  error?: string;
  cause?: string;
  /** Set for a child execution of a Distributed Map run. */
  mapRunArn?: string;
}

export class StepFunctionsService {
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokens: TaskTokens;
  private readonly mapRuns: MapRuns;

  constructor(private readonly deps: StepFunctionsDeps) {
    this.tokens = new TaskTokens(deps.clock);
    this.mapRuns = new MapRuns(deps.clock);
  }

  // ---- state machines ----

  createStateMachine(input: CreateStateMachineInput): { stateMachineArn: string; creationDate: Date } {
    validateName(input.name);
    const type = input.type ?? 'STANDARD';
    if (type !== 'STANDARD' && type !== 'EXPRESS')
      throw apiErrors.validation(
        `1 validation error detected: Value '${String(type)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`,
      );
    const parsed = parseDefinition(input.definition);
    const arn = stateMachineArnOf(this.deps, input.name);
    const existing = this.machines.get(arn);
    if (existing) {
      // CreateStateMachine is idempotent for an identical request.
      if (
        existing.ref.parsed.text === parsed.text &&
        existing.ref.roleArn === input.roleArn &&
        existing.type === type
      )
        return { stateMachineArn: arn, creationDate: new Date(existing.creationDate) };
      throw apiErrors.stateMachineAlreadyExists(arn);
    }
    const machine: Machine = {
      ref: machineRef(arn, input.name, input.roleArn, parsed),
      type,
      creationDate: this.deps.clock.now(),
      executions: [],
    };
    this.machines.set(arn, machine);
    return { stateMachineArn: arn, creationDate: new Date(machine.creationDate) };
  }

  /** A new definition or role; running executions keep the one they started with. */
  updateStateMachine(
    stateMachineArn: string,
    update: { definition?: string | object; roleArn?: string },
  ): { updateDate: Date } {
    const machine = this.machine(stateMachineArn);
    const parsed = update.definition === undefined ? machine.ref.parsed : parseDefinition(update.definition);
    machine.ref = machineRef(
      machine.ref.arn,
      machine.ref.name,
      update.roleArn ?? machine.ref.roleArn,
      parsed,
    );
    return { updateDate: new Date(this.deps.clock.now()) };
  }

  /** Deletes a state machine; its running executions are stopped (ABORTED). */
  deleteStateMachine(stateMachineArn: string): void {
    parseStatesArn(stateMachineArn, 'stateMachine');
    const machine = this.machines.get(stateMachineArn);
    if (!machine) return;
    for (const execution of machine.executions)
      execution.stop('States.Runtime', 'The state machine was deleted.');
    this.machines.delete(stateMachineArn);
  }

  describeStateMachine(stateMachineArn: string): StateMachineDescription {
    const machine = this.machine(stateMachineArn);
    return {
      stateMachineArn: machine.ref.arn,
      name: machine.ref.name,
      status: 'ACTIVE',
      definition: machine.ref.parsed.text,
      roleArn: machine.ref.roleArn,
      type: machine.type,
      creationDate: new Date(machine.creationDate),
    };
  }

  listStateMachines(): StateMachineDescription[] {
    return [...this.machines.keys()].map((arn) => this.describeStateMachine(arn));
  }

  /** ValidateStateMachineDefinition: what CreateStateMachine would refuse, as diagnostics. */
  validateDefinition(definition: string): Diagnostic[] {
    let value: unknown;
    try {
      value = JSON.parse(definition);
    } catch (err) {
      return [
        {
          severity: 'ERROR',
          code: 'INVALID_JSON_DESCRIPTION',
          message: (err as Error).message,
          location: '/',
        },
      ];
    }
    return diagnoseDefinition(value);
  }

  /** TestState: one state run on an input, with a mocked result or error if given. */
  testState(request: TestStateRequest): Promise<TestStateResponse> {
    return testState(request, {
      deps: this.deps,
      tokens: this.tokens,
      startExecution: (p, o) => this.startExecution(p, o),
    });
  }

  // ---- executions ----

  startExecution(
    params: StartExecutionInput,
    opts: { cause?: number } = {},
  ): { executionArn: string; startDate: Date } {
    const machine = this.machine(params.stateMachineArn);
    const input = executionInput(params.input);
    const name = params.name ?? randomUUID();
    validateName(name);
    const arn = executionArnOf(this.deps, machine.ref.name, name);
    const existing = this.executions.get(arn);
    if (existing) {
      // StartExecution is idempotent for a running execution started with the same input.
      if (existing.status === 'RUNNING' && existing.input === input)
        return { executionArn: arn, startDate: new Date(existing.startDate) };
      throw apiErrors.executionAlreadyExists(arn);
    }
    const execution = new Execution(
      { arn, name, machine: machine.ref, input, cause: opts.cause },
      {
        deps: this.deps,
        tokens: this.tokens,
        mapRuns: this.mapRuns,
        startExecution: (p, o) => this.startExecution(p, o),
      },
    );
    this.executions.set(arn, execution);
    machine.executions.push(execution);
    execution.start();
    return { executionArn: arn, startDate: new Date(execution.startDate) };
  }

  stopExecution(executionArn: string, details: { error?: string; cause?: string } = {}): { stopDate: Date } {
    const execution = this.topExecution(executionArn);
    execution.stop(details.error, details.cause);
    return { stopDate: new Date(execution.stopDate ?? this.deps.clock.now()) };
  }

  /** An execution, or a child execution of a Distributed Map run. */
  describeExecution(executionArn: string): ExecutionDescription {
    return describe(this.execution(executionArn));
  }

  /** Newest first, as ListExecutions returns them. */
  listExecutions(stateMachineArn: string, statusFilter?: ExecutionStatus): ExecutionDescription[] {
    const machine = this.machine(stateMachineArn);
    return machine.executions
      .filter((e) => statusFilter === undefined || e.status === statusFilter)
      .reverse()
      .map(describe);
  }

  /** The child executions of a Distributed Map run (ListExecutions with a mapRunArn), newest first. */
  listMapRunExecutions(mapRunArn: string, statusFilter?: ExecutionStatus): ExecutionDescription[] {
    return this.mapRun(mapRunArn)
      .children.filter((e) => statusFilter === undefined || e.status === statusFilter)
      .reverse()
      .map(describe);
  }

  getExecutionHistory(executionArn: string): HistoryEvent[] {
    return this.execution(executionArn).history.events.map((e) => ({ ...e }));
  }

  /** ListMapRuns: the Distributed Map runs an execution started, oldest first. */
  listMapRuns(executionArn: string): MapRun[] {
    this.execution(executionArn);
    return this.mapRuns.of(executionArn);
  }

  /** DescribeMapRun. */
  mapRun(mapRunArn: string): MapRun {
    parseStatesArn(mapRunArn, 'mapRun');
    const run = this.mapRuns.run(mapRunArn);
    if (!run) throw apiErrors.mapRunDoesNotExist(mapRunArn);
    return run;
  }

  /** Resolves once the execution has ended and its history is complete. */
  async settled(executionArn: string): Promise<ExecutionDescription> {
    const execution = this.topExecution(executionArn);
    await execution.done;
    return describe(execution);
  }

  // ---- task tokens ----

  /** `output` is JSON text; it becomes the waiting task's result. */
  sendTaskSuccess(taskToken: string, output: string): void {
    this.tokens.succeed(taskToken, output);
  }

  sendTaskFailure(taskToken: string, failure: { error?: string; cause?: string } = {}): void {
    this.tokens.fail(taskToken, failure.error, failure.cause);
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.tokens.heartbeat(taskToken);
  }

  /** Tasks waiting for SendTaskSuccess / SendTaskFailure (pending approvals), oldest first. */
  pendingTaskTokens(): PendingTaskToken[] {
    return this.tokens.pending();
  }

  /** Stops every running execution (teardown). */
  dispose(): void {
    for (const execution of this.executions.values())
      execution.stop('States.Runtime', 'The local cloud stopped.');
  }

  private machine(stateMachineArn: string): Machine {
    parseStatesArn(stateMachineArn, 'stateMachine');
    const machine = this.machines.get(stateMachineArn);
    if (!machine) throw apiErrors.stateMachineDoesNotExist(stateMachineArn);
    return machine;
  }

  /** An execution StartExecution started (not a Distributed Map's child). */
  private topExecution(executionArn: string): Execution {
    const execution = this.execution(executionArn);
    if (execution instanceof ChildExecution)
      throw apiErrors.validation(
        `${executionArn} is a child execution of the Distributed Map run ${execution.run.arn}: the local cloud stops a map run with its parent execution, not one child at a time.`,
      );
    return execution;
  }

  private execution(executionArn: string): Execution | ChildExecution {
    parseStatesArn(executionArn, 'execution');
    const execution = this.executions.get(executionArn) ?? this.mapRuns.child(executionArn);
    if (!execution) throw apiErrors.executionDoesNotExist(executionArn);
    return execution;
  }
}

interface Machine {
  ref: MachineRef;
  type: 'STANDARD' | 'EXPRESS';
  creationDate: number;
  executions: Execution[];
}

function machineRef(arn: string, name: string, roleArn: string, parsed: MachineRef['parsed']): MachineRef {
  return { arn, name, roleArn, parsed };
}

/** The input as JSON text, checked the way StartExecution checks it. */
function executionInput(input: unknown): string {
  if (input === undefined || input === null) return '{}';
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  // AWS's limit on an execution's input, as on every state's data (UTF-8 bytes).
  if (Buffer.byteLength(text, 'utf8') > PAYLOAD_LIMIT)
    throw apiErrors.validation(
      `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${PAYLOAD_LIMIT}`,
    );
  if (typeof input !== 'string') return text;
  if (input.trim() === '') throw apiErrors.invalidExecutionInput('Invalid execution input.');
  try {
    JSON.parse(input);
  } catch (err) {
    throw apiErrors.invalidExecutionInput((err as Error).message);
  }
  return input;
}

function describe(e: Execution | ChildExecution): ExecutionDescription {
  const child = e instanceof ChildExecution;
  return {
    executionArn: e.arn,
    stateMachineArn: child ? e.stateMachineArn : e.machine.arn,
    mapRunArn: child ? e.run.arn : undefined,
    name: e.name,
    status: e.status,
    startDate: new Date(e.startDate),
    stopDate: e.stopDate === undefined ? undefined : new Date(e.stopDate),
    input: e.input,
    output: e.output,
    error: e.error,
    cause: e.cause,
  };
}
