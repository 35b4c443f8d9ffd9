/**
 * What a running state sees: the execution it belongs to (`Engine`: history, clock, tokens,
 * the way out when the execution ends), the thread it runs in (`Frame`: the root flow, a
 * Parallel branch or a Map iteration, with its variable scope and its cancellation), and the
 * state's own run (`StateRun`: name, definition, query language, entry event, retry count).
 */
import type { TraceEntry } from '../../core/trace.ts';
import type { StepFunctionsDeps } from '../deps.ts';
import type { History } from '../history.ts';
import type { IntegrationContext } from '../integrations.ts';
import type { TaskTokens } from '../task-tokens.ts';
import type { AslDefinition, AslState } from '../asl.ts';
import type { PathData } from './paths.ts';
import type { JsonataData } from './jsonata.ts';
import type { MapRun, MapRunConfig } from '../map-runs.ts';

export type QueryLanguage = 'JSONPath' | 'JSONata';

/** Thrown into whatever waits when its thread is cancelled or the execution ended. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** A way to stop every wait of a thread (and of the threads inside it) at once. */
export class Cancellation {
  cancelled = false;
  private readonly listeners = new Set<() => void>();
  constructor(private readonly parent?: Cancellation) {
    parent?.listeners.add(() => this.cancel());
  }
  isCancelled(): boolean {
    return this.cancelled || (this.parent?.isCancelled() ?? false);
  }
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const l of [...this.listeners]) l();
    this.listeners.clear();
  }
  /** Resolves like `p`, or rejects with Cancelled as soon as this is cancelled. */
  guard<T>(p: Promise<T>): Promise<T> {
    if (this.isCancelled()) return Promise.reject(new Cancelled());
    return new Promise<T>((resolve, reject) => {
      const onCancel = () => reject(new Cancelled());
      this.listeners.add(onCancel);
      p.then(
        (v) => {
          this.listeners.delete(onCancel);
          resolve(v);
        },
        (e) => {
          this.listeners.delete(onCancel);
          reject(e);
        },
      );
    });
  }
}

/** Workflow variables: a thread's own, over those of the threads around it. */
export class VariableScope {
  private readonly values = new Map<string, unknown>();
  constructor(readonly parent?: VariableScope) {}
  get(name: string): { found: boolean; value?: unknown } {
    if (this.values.has(name)) return { found: true, value: this.values.get(name) };
    return this.parent ? this.parent.get(name) : { found: false };
  }
  set(name: string, value: unknown): void {
    this.values.set(name, value);
  }
  all(): Record<string, unknown> {
    return { ...(this.parent?.all() ?? {}), ...Object.fromEntries(this.values) };
  }
}

/** Overrides TestState gives one state: a mocked task result or error. */
export interface TestMock {
  result?: unknown;
  errorOutput?: { error?: string; cause?: string };
}

export interface Engine {
  readonly deps: StepFunctionsDeps;
  readonly tokens: TaskTokens;
  readonly history: History;
  /** `startDate` in epoch ms: the context object's StartTime is made from it when read. */
  readonly execution: { arn: string; name: string; roleArn: string; input: unknown; startDate: number };
  readonly machine: { arn: string; name: string };
  readonly language: QueryLanguage;
  readonly startSeq: number;
  readonly startExecution: IntegrationContext['startExecution'];
  /** Set by TestState: the state's task or container is not run, its mocked outcome is used. */
  readonly mock?: TestMock;
  /** TestState: the context object fields it was given, over the ones computed. */
  readonly contextOverride?: Record<string, unknown>;
  /** TestState with DEBUG: sees the data at each step (afterInputPath, afterParameters, result...). */
  inspect?(step: InspectionStep, value: unknown): void;
  /** Cancelled when the execution ends (stopped, timed out, failed). */
  readonly cancellation: Cancellation;
  trace(entry: Parameters<StepFunctionsDeps['trace']['record']>[0]): TraceEntry;
  /** Runs a block of states (engine/run.ts; given here so Parallel and Map can run theirs). */
  runStates(
    block: AslDefinition,
    input: unknown,
    frame: Frame,
    engine: Engine,
    language: QueryLanguage,
  ): Promise<unknown>;
  openToken(token: string): void;
  closeToken(token: string): void;
  /** Starts a Distributed Map run, listed by ListMapRuns (absent in TestState: nothing lists it). */
  openMapRun?(label: string, config: MapRunConfig, plan: number[]): MapRun;
}

export type InspectionStep =
  | 'afterInputPath'
  | 'afterParameters'
  | 'afterArguments'
  | 'afterItemsPath'
  | 'result'
  | 'afterResultSelector'
  | 'afterResultPath';

export interface MapItem {
  Index: number;
  Value: unknown;
}

export interface Frame {
  /** The history thread (previousEventId links follow it). */
  thread: string;
  scope: VariableScope;
  cancellation: Cancellation;
}

export interface StateRun {
  name: string;
  state: AslState;
  language: QueryLanguage;
  /** The state's input as it entered. */
  input: unknown;
  frame: Frame;
  engine: Engine;
  enteredEventId: number;
  /** Epoch ms; `$$.State.EnteredTime` is its ISO text, made when read (a waiting state holds only the number). */
  enteredAt: number;
  enterSeq: number;
  retryCount: number;
  /** Set for the Task whose Parameters / Arguments asked for `$$.Task.Token`. */
  taskToken?: string;
  /** Set while a Map evaluates its ItemSelector. */
  mapItem?: MapItem;
}

/** The context object (`$$` in JSONPath, `$states.context` in JSONata). */
export function contextObject(run: StateRun): Record<string, unknown> {
  const e = run.engine;
  const context: Record<string, unknown> = {
    Execution: {
      Id: e.execution.arn,
      Input: e.execution.input,
      StartTime: new Date(e.execution.startDate).toISOString(),
      Name: e.execution.name,
      RoleArn: e.execution.roleArn,
      RedriveCount: 0,
    },
    State: { EnteredTime: new Date(run.enteredAt).toISOString(), Name: run.name, RetryCount: run.retryCount },
    StateMachine: { Id: e.machine.arn, Name: e.machine.name },
  };
  if (run.taskToken !== undefined) context.Task = { Token: run.taskToken };
  if (run.mapItem) context.Map = { Item: run.mapItem };
  for (const [key, value] of Object.entries(e.contextOverride ?? {})) {
    const base = context[key];
    context[key] =
      base && typeof base === 'object' && value && typeof value === 'object' ? { ...base, ...value } : value;
  }
  return context;
}

/** What JSONPath reads in this state: `$` is `input`. */
export function pathData(run: StateRun, input: unknown): PathData {
  return { input, context: contextObject(run), variable: (name) => run.frame.scope.get(name) };
}

/** What JSONata sees in this state. */
export function jsonataData(
  run: StateRun,
  extra: { result?: unknown; errorOutput?: unknown } = {},
): JsonataData {
  return {
    states: { input: run.input, ...extra, context: contextObject(run) },
    variables: run.frame.scope.all(),
  };
}

/** AWS's cause prefix for a failure in this state. */
export function where(run: StateRun): string {
  return `An error occurred while executing the state '${run.name}' (entered at the event id #${run.enteredEventId}). `;
}
