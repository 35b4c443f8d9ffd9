/**
 * The trace: everything the local cloud did, in virtual time, with causal links. The
 * checker reads it, the board and the CLI stream it (SSE). Each entry has a `seq` (its
 * id), the virtual `time`, a `kind`, and an optional `cause` (the seq of what led to it).
 *
 * The entries are a union discriminated by `kind`: `TraceFields` lists each kind's fields,
 * so a reader that checks the kind (or calls `find(kind)`) gets them typed. The board
 * mirrors this type in docs/.vitepress/theme/board/types.ts (it speaks HTTP only); a type
 * test keeps the two equal. A new kind is added here, then there.
 */
import { EventEmitter } from 'node:events';
import type { StackChange } from '../stack/provider.ts';

/** A Lambda error as the Lambda API returns it (and the invoke.end entry carries it). */
export interface TraceLambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** Each kind of entry and its fields (besides seq, time, kind and cause). */
export interface TraceFields {
  'invoke.start': { function: string; requestId: string; source?: string; event: unknown };
  'invoke.end': {
    function: string;
    requestId: string;
    ok: boolean;
    durationMs: number;
    result?: unknown;
    error?: TraceLambdaError;
  };
  /** A handler settled while one of its own AWS SDK calls was in flight (see lambda/unawaited.ts). */
  'invoke.unawaited': {
    function: string;
    handlerName: string;
    requestId: string;
    service: string;
    operation: string;
    file?: string;
    line?: number;
    message: string;
  };
  log: { function: string; requestId?: string; level: string; message: string };
  /** One item written by a caller (a Lambda when `function` is set). */
  'dynamodb.write': {
    function?: string;
    requestId?: string;
    table: string;
    op: string;
    item?: unknown;
    key?: unknown;
  };
  'http.request': { apiId: string; method: string; path: string; routeKey?: string };
  'http.response': { status: number; requestId?: string };
  /** A REST API (v1) request on a stage, and its answer (`resourcePath` when a resource matched). */
  'rest.request': { apiId: string; stage: string; method: string; path: string; resourcePath?: string };
  'rest.response': { status: number; requestId?: string };
  /** A WebSocket API connection: its `$connect` (refused when status is not 2xx), messages both ways, its end. */
  'websocket.connect': { apiId: string; stage: string; connectionId: string; status: number };
  'websocket.message': { apiId: string; connectionId: string; routeKey: string; bytes: number };
  'websocket.send': { apiId: string; connectionId: string; bytes: number };
  'websocket.disconnect': { apiId: string; connectionId: string; reason: string };
  /** `noSuchBus`: AWS accepts an entry for a bus that does not exist; it reaches no rule. */
  'events.put': {
    caller?: string;
    bus: string;
    eventId: string;
    source: string;
    detailType: string;
    detail: unknown;
    noSuchBus?: boolean;
  };
  'events.rejected': {
    caller?: string;
    bus: string;
    source?: string;
    detailType?: string;
    ErrorCode: string;
    ErrorMessage: string;
  };
  'rule.match': { rule: string; ruleArn: string; bus: string; eventId: string };
  'target.invoke': { rule: string; target: string; eventId: string };
  'target.error': { rule: string; target: string; error: string };
  'schedule.fire': { rule: string; ruleArn: string; schedule?: string; at: string };
  /** EventBridge Scheduler: a schedule's firing, what it sent its target, a failed delivery, its end. */
  'scheduler.fire': {
    schedule: string;
    group: string;
    scheduleArn: string;
    expression: string;
    timezone: string;
    scheduledTime: string;
    target: string;
  };
  'scheduler.invoke': {
    schedule: string;
    group: string;
    target: string;
    executionId: string;
    input: unknown;
  };
  /** `attempt`: which delivery attempt failed (retried per the target's RetryPolicy). */
  'scheduler.error': { schedule: string; group: string; target: string; error: string; attempt?: number };
  'scheduler.complete': { schedule: string; group: string; scheduleArn: string; deleted: boolean };
  /** SQS: a message sent, a batch received, a message deleted, one moved to its dead-letter queue. */
  'sqs.send': { queue: string; messageId: string; body: string; groupId?: string };
  'sqs.receive': { queue: string; consumer?: string; messageIds: string[] };
  'sqs.delete': { queue: string; messageId: string };
  'sqs.redrive': { queue: string; deadLetterQueue: string; messageId: string; receiveCount: number };
  /** A Lambda event source mapping: a batch handed to the function, and what came of it (`failed`: message ids kept, or a stream's sequence numbers retried). */
  'esm.batch': { uuid: string; eventSourceArn: string; function: string; records: number };
  'esm.result': { uuid: string; ok: boolean; failed: string[] };
  /** A stream mapping gave records up (retries spent or too old); `destination`: the OnFailure queue told. */
  'esm.discard': {
    uuid: string;
    eventSourceArn: string;
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    records: number;
    destination?: string;
  };
  'sfn.execution.start': { executionArn: string; stateMachineArn: string; name: string; input: unknown };
  'sfn.execution.end': {
    executionArn: string;
    stateMachineArn: string;
    name: string;
    status: string;
    output?: unknown;
    error?: string;
    errorCause?: string;
  };
  'sfn.state.enter': {
    executionArn: string;
    stateMachineArn: string;
    state: string;
    type: string;
    input: unknown;
  };
  'sfn.state.exit': {
    executionArn: string;
    stateMachineArn: string;
    state: string;
    type: string;
    output: unknown;
    enterSeq?: number;
  };
  'sfn.task.token': {
    token: string;
    executionArn: string;
    stateMachineArn: string;
    stateName: string;
    input: unknown;
  };
  'stack.deploy': {
    stack: string;
    resources: Array<{ logicalId: string; type: string; physicalId: string }>;
    changes: StackChange[];
    warnings: string[];
  };
  'stack.delete': { stack: string };
  'stack.warning': { message: string };
}

export type TraceKind = keyof TraceFields;

/** What a recorder gives: the kind, its fields, and what caused it. */
export type TraceInput<K extends TraceKind = TraceKind> = {
  [P in K]: { kind: P; cause?: number } & TraceFields[P];
}[K];

/** An entry of the trace; `TraceEntry<'invoke.end'>` is one kind of entry. */
export type TraceEntry<K extends TraceKind = TraceKind> = {
  [P in K]: { seq: number; time: number; kind: P; cause?: number } & TraceFields[P];
}[K];

export class Trace {
  private readonly entries: TraceEntry[] = [];
  private readonly emitter = new EventEmitter();
  private nextSeq = 1;

  constructor(
    private readonly now: () => number,
    private readonly limit = 200_000,
  ) {
    this.emitter.setMaxListeners(0);
  }

  record<K extends TraceKind>(input: TraceInput<K>): TraceEntry<K> {
    const entry = { ...input, seq: this.nextSeq++, time: this.now() } as TraceEntry<K>;
    this.entries.push(entry as TraceEntry);
    // A long `npm start` must not grow without bound; checks stay far below the limit.
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    this.emitter.emit('entry', entry);
    return entry;
  }

  all(): readonly TraceEntry[] {
    return this.entries;
  }

  since(seq: number): TraceEntry[] {
    return this.entries.filter((e) => e.seq > seq);
  }

  find<K extends TraceKind>(kind: K, where: (e: TraceEntry<K>) => boolean = () => true): TraceEntry<K>[] {
    const found: TraceEntry<K>[] = [];
    for (const e of this.entries) if (isKind(e, kind) && where(e)) found.push(e);
    return found;
  }

  get(seq: number): TraceEntry | undefined {
    return this.entries.find((e) => e.seq === seq);
  }

  /** The chain of causes that led to `seq`, oldest first. */
  causes(seq: number): TraceEntry[] {
    const chain: TraceEntry[] = [];
    let e = this.get(seq);
    while (e) {
      chain.unshift(e);
      e = e.cause ? this.get(e.cause) : undefined;
    }
    return chain;
  }

  subscribe(listener: (entry: TraceEntry) => void): () => void {
    this.emitter.on('entry', listener);
    return () => this.emitter.off('entry', listener);
  }

  clear(): void {
    this.entries.length = 0;
  }
}

/** Narrows an entry to one kind: `entries.filter((e) => isKind(e, 'events.put'))`. */
export function isKind<K extends TraceKind>(entry: { kind: TraceKind }, kind: K): entry is TraceEntry<K> {
  return entry.kind === kind;
}

/** Keeps trace entries small: big payloads are cut, not copied whole. */
export function summarize(value: unknown): unknown {
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return null;
    return json.length > 4096 ? `${json.slice(0, 4096)}…` : value;
  } catch {
    return String(value);
  }
}
