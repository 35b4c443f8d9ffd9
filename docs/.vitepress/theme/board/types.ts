/**
 * What the board reads from the local cloud's `/_dojo/` endpoints. The board speaks HTTP to
 * the local cloud only, so these mirror the wire shapes rather than import the emulator.
 *
 * The trace entries mirror emulator/core/trace.ts on purpose, kind by kind; a type test
 * (emulator/core/trace.test.ts) fails when the two differ. Change both together.
 */
export interface TraceLambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

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

export interface StackChange {
  logicalId: string;
  type: string;
  action: 'create' | 'update' | 'replace' | 'keep' | 'delete';
}

export type TraceKind = keyof TraceFields;

/** An entry of the trace (`time` is virtual epoch ms); `TraceEntry<'invoke.end'>` is one kind. */
export type TraceEntry<K extends TraceKind = TraceKind> = {
  [P in K]: { seq: number; time: number; kind: P; cause?: number } & TraceFields[P];
}[K];

export type Speed = number | 'max' | 'paused';

export interface ClockState {
  now: number;
  iso: string;
  speed: Speed;
  advancing: boolean;
  pendingTimers: number;
}

export interface HealthInfo {
  ok: boolean;
  endpoint: string;
  region: string;
  clock: ClockState;
}

export interface HttpApiInfo {
  apiId: string;
  url: string;
  /** Route keys such as `GET /viruses`. */
  routes: string[];
}

export interface WebSocketApiInfo {
  apiId: string;
  /** `ws://…/_aws/execute-api/<apiId>/<stage>`, one per stage. */
  url: string;
  /** Route keys such as `$connect`. */
  routes: string[];
}

export interface StackInfo {
  stacks: Array<{ name: string }>;
  httpApis: HttpApiInfo[];
  webSockets: WebSocketApiInfo[];
  functions: Array<{ name: string; handler: string; arn: string }>;
}

/** A virus as the learner's API returns it. */
export interface Virus {
  id: string;
  createdAt?: string;
}
