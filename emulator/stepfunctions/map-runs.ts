/**
 * Distributed Map runs and their child executions, as AWS shows them: a Map state in
 * DISTRIBUTED mode starts a map run (`arn:…:mapRun:Machine/Label:id`), and each item, or each
 * batch of ItemBatcher, runs as a child execution of its own (`arn:…:execution:Machine/Label:id`)
 * with its own history, from ExecutionStarted to ExecutionSucceeded / Failed / Aborted.
 * ListMapRuns, DescribeMapRun and ListExecutions with a mapRunArn read them here; the engine
 * (engine/states/map.ts) writes them as it runs.
 *
 *   const run = mapRuns.open({ executionArn, stateMachineArn, roleArn }, 'M', config, [1, 1, 1]);
 *   const child = run.startChild({ item: 1 }, 1);
 *   child.finish('SUCCEEDED', { output: 2 });
 *   run.finish('SUCCEEDED');
 */
import { randomUUID } from 'node:crypto';
import type { ExecutionStatus } from './status.ts';
import { dataField, History, ROOT_THREAD } from './history.ts';

export type MapRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** What DescribeMapRun reports of the Map state's settings. */
export interface MapRunConfig {
  maxConcurrency: number;
  toleratedFailureCount: number;
  toleratedFailurePercentage: number;
}

/** DescribeMapRun's itemCounts and executionCounts (nothing is redriven locally). */
export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
  failuresNotRedrivable: number;
  pendingRedrive: number;
}

export interface MapRunParent {
  executionArn: string;
  stateMachineArn: string;
  roleArn: string;
}

type Clock = { now(): number };

/** One child execution of a map run: an item (or a batch) with a history of its own. */
export class ChildExecution {
  readonly startDate: number;
  readonly history: History;
  status: ExecutionStatus = 'RUNNING';
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;

  constructor(
    readonly arn: string,
    readonly name: string,
    readonly run: MapRun,
    readonly input: string,
    /** Items in it: 1, or the size of its batch. */
    readonly items: number,
    private readonly clock: Clock,
  ) {
    this.startDate = clock.now();
    this.history = new History(() => clock.now());
    this.history.add('ExecutionStarted', ROOT_THREAD, {
      ...dataField('input', JSON.parse(input)),
      roleArn: run.parent.roleArn,
    });
    // As in a top-level execution, the first state links to nothing.
    this.history.link(ROOT_THREAD, 0);
  }

  get stateMachineArn(): string {
    return this.run.stateMachineArn;
  }

  /** Ends it once: SUCCEEDED with its output, FAILED with AWS's error and cause, or ABORTED. */
  finish(
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    outcome: { output?: unknown; error?: string; cause?: string } = {},
  ): void {
    if (this.status !== 'RUNNING') return;
    const type = {
      SUCCEEDED: 'ExecutionSucceeded',
      FAILED: 'ExecutionFailed',
      ABORTED: 'ExecutionAborted',
      TIMED_OUT: 'ExecutionTimedOut',
    }[status];
    const details =
      status === 'SUCCEEDED'
        ? dataField('output', outcome.output)
        : { error: outcome.error || undefined, cause: outcome.cause || undefined };
    this.history.add(type, ROOT_THREAD, details, { previous: this.history.lastId() });
    this.status = status;
    this.stopDate = this.clock.now();
    if (status === 'SUCCEEDED') this.output = details.output as string;
    else {
      this.error = outcome.error || undefined;
      this.cause = outcome.cause || undefined;
    }
  }
}

/** One run of a Distributed Map state. */
export class MapRun {
  readonly startDate: number;
  /** The child workflow's own state machine: the parent's, then `/Label`. */
  readonly stateMachineArn: string;
  readonly children: ChildExecution[] = [];
  status: MapRunStatus = 'RUNNING';
  stopDate?: number;
  /** How many children's results a ResultWriter wrote to S3. */
  private resultsWritten = 0;
  private readonly base: string;

  constructor(
    readonly arn: string,
    readonly parent: MapRunParent,
    readonly label: string,
    readonly config: MapRunConfig,
    /** Items per child, in order: all ones, or the batch sizes. */
    private readonly plan: number[],
    private readonly clock: Clock,
    /** Told of each child as it starts (the registry finds children by ARN). */
    private readonly onChild: (child: ChildExecution) => void = () => undefined,
  ) {
    this.startDate = clock.now();
    this.stateMachineArn = `${parent.stateMachineArn}/${label}`;
    this.base = this.stateMachineArn.replace(':stateMachine:', ':execution:');
  }

  startChild(input: unknown, items: number): ChildExecution {
    const name = randomUUID();
    const child = new ChildExecution(
      `${this.base}:${name}`,
      name,
      this,
      JSON.stringify(input ?? null),
      items,
      this.clock,
    );
    this.children.push(child);
    this.onChild(child);
    return child;
  }

  /** A ResultWriter wrote `count` children's results (DescribeMapRun's resultsWritten). */
  wrote(count: number): void {
    this.resultsWritten += count;
  }

  /** Ends the run; children still running are aborted with it. */
  finish(status: Exclude<MapRunStatus, 'RUNNING'>): void {
    if (this.status !== 'RUNNING') return;
    for (const child of this.children) child.finish('ABORTED');
    this.status = status;
    this.stopDate = this.clock.now();
  }

  /** DescribeMapRun's counts, by child execution or by item. */
  counts(by: 'executions' | 'items'): MapRunCounts {
    const weight = (c: ChildExecution) => (by === 'items' ? c.items : 1);
    const sum = (status: ExecutionStatus) =>
      this.children.filter((c) => c.status === status).reduce((n, c) => n + weight(c), 0);
    const total = by === 'items' ? this.plan.reduce((n, k) => n + k, 0) : this.plan.length;
    const started = this.children.reduce((n, c) => n + weight(c), 0);
    return {
      pending: this.status === 'RUNNING' ? total - started : 0,
      running: sum('RUNNING'),
      succeeded: sum('SUCCEEDED'),
      failed: sum('FAILED'),
      timedOut: sum('TIMED_OUT'),
      aborted: sum('ABORTED') + (this.status === 'RUNNING' ? 0 : total - started),
      total,
      resultsWritten: this.resultsWritten,
      failuresNotRedrivable: 0,
      pendingRedrive: 0,
    };
  }
}

/** Every map run of the local cloud, and their children, by ARN. */
export class MapRuns {
  private readonly runs = new Map<string, MapRun>();
  private readonly children = new Map<string, ChildExecution>();

  constructor(private readonly clock: Clock) {}

  open(parent: MapRunParent, label: string, config: MapRunConfig, plan: number[]): MapRun {
    const arn = `${parent.stateMachineArn.replace(':stateMachine:', ':mapRun:')}/${label}:${randomUUID()}`;
    const run = new MapRun(arn, parent, label, config, plan, this.clock, (child) =>
      this.children.set(child.arn, child),
    );
    this.runs.set(arn, run);
    return run;
  }

  run(arn: string): MapRun | undefined {
    return this.runs.get(arn);
  }

  child(arn: string): ChildExecution | undefined {
    return this.children.get(arn);
  }

  /** The map runs of one execution, oldest first. */
  of(executionArn: string): MapRun[] {
    return [...this.runs.values()].filter((r) => r.parent.executionArn === executionArn);
  }
}
