/**
 * Everything the board shows, derived from the local cloud's trace one entry at a time:
 * the viruses, the timeline, the wait times and arrival seconds of session 4, and the task
 * tokens waiting for a human in session 6. Plain TypeScript (no Vue) so it can be tested
 * in Node; the component re-renders from it in batches.
 */
import { plainItem } from './dynamo.ts';
import type { PushMessage } from './push-source.ts';
import type { TraceEntry, Virus } from './types.ts';

export interface VirusOnBoard {
  id: string;
  createdAt?: string;
  /** Trace seq at which the board learnt of it (a poll counts as the seq it started at). */
  seenSeq: number;
  /** Virtual ms when it appeared. */
  bornAt: number;
}

interface ItemBase {
  seq: number;
  /** Virtual ms. */
  time: number;
  /**
   * Who made it, in the learner's words: the function (an invocation, its writes, the events
   * it put), the state machine, the rule; none for notices. The timeline filters by it.
   */
  origin?: string;
}

export interface TickItem extends ItemBase {
  type: 'tick';
  rule: string;
  schedule: string;
}

export interface EventItem extends ItemBase {
  type: 'event';
  detailType: string;
  source: string;
  bus: string;
  detail: unknown;
  rules: string[];
}

export interface StateStep {
  name: string;
  type: string;
  enterSeq: number;
  enterTime: number;
  exitTime?: number;
}

export interface ExecutionItem extends ItemBase {
  type: 'execution';
  arn: string;
  name: string;
  machine: string;
  status: string;
  endTime?: number;
  error?: string;
  states: StateStep[];
}

export interface LogLine {
  time: number;
  level: string;
  message: string;
}

export interface InvocationItem extends ItemBase {
  type: 'invocation';
  fn: string;
  requestId: string;
  source?: string;
  durationMs?: number;
  ok?: boolean;
  error?: string;
  logs: LogLine[];
}

export interface WriteItem extends ItemBase {
  type: 'write';
  op: string;
  table: string;
  id?: string;
  fn?: string;
}

export interface HttpItem extends ItemBase {
  type: 'http';
  method: string;
  path: string;
  status?: number;
}

export interface NoticeItem extends ItemBase {
  type: 'notice';
  level: 'info' | 'warning' | 'error';
  text: string;
}

export type TimelineItem =
  TickItem | EventItem | ExecutionItem | InvocationItem | WriteItem | HttpItem | NoticeItem;

export interface PendingApproval {
  token: string;
  stateName: string;
  executionArn: string;
  execution: string;
  input: unknown;
  time: number;
  /** The seq of the state's entry: its exit ends the wait. */
  enterSeq: number;
  /** What the approver reads first: the task's own fields (virus id, strength), the token left out. */
  facts: Array<[string, string]>;
  /** The resource the task called (`requestApproval`), shortened: read last. */
  via?: string;
}

export interface BoardStateOptions {
  /**
   * Timeline items kept per origin (oldest dropped first): at 60x, spreadVirus's hundreds of
   * entries cannot push the lab's few out of the timeline.
   */
  timelineLimit?: number;
  /** Timeline items kept in all (default five origins' worth). */
  timelineTotal?: number;
  /** Arrival times kept for the per-minute dots. */
  arrivalLimit?: number;
}

/** Waits longer than this are counted together. */
export const MAX_WAIT_SECONDS = 60;
const MAX_STATES_PER_EXECUTION = 40;
const MAX_LOGS_PER_INVOCATION = 50;

export class BoardState {
  readonly viruses = new Map<string, VirusOnBoard>();
  readonly timeline: TimelineItem[] = [];
  /** Executions per whole second waited, 0..MAX_WAIT_SECONDS, then one count for longer waits. */
  readonly waitCounts: number[] = new Array(MAX_WAIT_SECONDS + 2).fill(0);
  waitTotal = 0;
  /** Virtual ms at which viruses appeared, oldest first. */
  readonly arrivals: number[] = [];
  readonly approvals = new Map<string, PendingApproval>();
  /** True once any task token was seen: the approvals panel stays once it has appeared. */
  approvalsSeen = false;
  lastSeq = 0;
  lastTime = 0;
  stackNames: string[] = [];
  /**
   * True while the learner's WebSocket API pushes the viruses (session 3's bonus): the board
   * then shows what it pushed, not what the trace saw written, so a push that is broken shows.
   */
  virusesFromPush = false;

  private readonly timelineLimit: number;
  private readonly timelineTotal: number;
  private readonly originCounts = new Map<string, number>();
  private readonly arrivalLimit: number;
  private readonly invocations = new Map<string, InvocationItem>();
  private readonly executions = new Map<string, ExecutionItem>();
  private readonly events = new Map<number, EventItem>();
  private readonly requests = new Map<number, HttpItem>();
  /** The board's own GET /viruses polls: kept off the timeline, with what they cause. */
  private readonly quietRequests = new Set<number>();
  private readonly quietInvocations = new Map<string, InvocationItem>();
  private readonly deleted = new Map<string, number>();
  private readonly waited = new Set<string>();

  constructor(options: BoardStateOptions = {}) {
    this.timelineLimit = options.timelineLimit ?? 200;
    this.timelineTotal = options.timelineTotal ?? this.timelineLimit * 5;
    this.arrivalLimit = options.arrivalLimit ?? 600;
  }

  apply(e: TraceEntry): void {
    if (e.seq > this.lastSeq) this.lastSeq = e.seq;
    if (e.time > this.lastTime) this.lastTime = e.time;
    switch (e.kind) {
      case 'schedule.fire':
        this.push({
          type: 'tick',
          seq: e.seq,
          time: e.time,
          rule: this.short(str(e.rule)),
          schedule: str(e.schedule),
          origin: this.short(str(e.rule)),
        });
        return;
      case 'events.put': {
        const item: EventItem = {
          type: 'event',
          seq: e.seq,
          time: e.time,
          detailType: str(e.detailType),
          source: str(e.source),
          bus: str(e.bus),
          detail: e.detail,
          rules: [],
          // The function that put it; a state machine's putEvents is by "states": then its source says more.
          origin: e.caller && e.caller !== 'states' ? this.short(str(e.caller)) : str(e.source),
        };
        this.events.set(e.seq, item);
        this.push(item);
        return;
      }
      case 'events.rejected':
        this.push({
          type: 'notice',
          seq: e.seq,
          time: e.time,
          level: 'error',
          text: `Event refused: ${str(e.ErrorCode)} ${str(e.ErrorMessage)}`.trim(),
        });
        return;
      case 'rule.match': {
        const event = e.cause === undefined ? undefined : this.events.get(e.cause);
        if (event) event.rules.push(this.short(str(e.rule)));
        return;
      }
      case 'target.error':
        this.push({
          type: 'notice',
          seq: e.seq,
          time: e.time,
          level: 'error',
          text: `Rule ${this.short(str(e.rule))} could not deliver: ${str(e.error)}`,
        });
        return;
      case 'sfn.execution.start': {
        const item: ExecutionItem = {
          type: 'execution',
          seq: e.seq,
          time: e.time,
          arn: str(e.executionArn),
          name: str(e.name),
          machine: this.short(lastSegment(str(e.stateMachineArn))),
          status: 'RUNNING',
          states: [],
          origin: this.short(lastSegment(str(e.stateMachineArn))),
        };
        this.executions.set(item.arn, item);
        this.push(item);
        return;
      }
      case 'sfn.state.enter': {
        const execution = this.executions.get(str(e.executionArn));
        if (execution && execution.states.length < MAX_STATES_PER_EXECUTION)
          execution.states.push({
            name: str(e.state),
            type: str(e.type),
            enterSeq: e.seq,
            enterTime: e.time,
          });
        return;
      }
      case 'sfn.state.exit':
        this.stateExited(e);
        return;
      case 'sfn.execution.end': {
        const arn = str(e.executionArn);
        const execution = this.executions.get(arn);
        if (execution) {
          execution.status = str(e.status) || 'ENDED';
          execution.endTime = e.time;
          if (e.error)
            execution.error = e.errorCause ? `${str(e.error)}: ${str(e.errorCause)}` : str(e.error);
        }
        for (const [token, a] of this.approvals) if (a.executionArn === arn) this.approvals.delete(token);
        return;
      }
      case 'sfn.task.token':
        this.taskToken(e);
        return;
      case 'invoke.start': {
        const requestId = str(e.requestId);
        const item: InvocationItem = {
          type: 'invocation',
          seq: e.seq,
          time: e.time,
          fn: this.short(str(e.function)),
          requestId,
          source: e.source === undefined ? undefined : this.sourceOf(str(e.source)),
          logs: [],
          origin: this.short(str(e.function)),
        };
        if (e.cause !== undefined && this.quietRequests.has(e.cause)) {
          this.quietInvocations.set(requestId, item);
          trimMap(this.quietInvocations, 50);
          return;
        }
        this.invocations.set(requestId, item);
        this.push(item);
        return;
      }
      case 'invoke.end': {
        const requestId = str(e.requestId);
        const quiet = this.quietInvocations.get(requestId);
        const item = quiet ?? this.invocations.get(requestId);
        if (!item) return;
        item.durationMs = typeof e.durationMs === 'number' ? e.durationMs : undefined;
        item.ok = e.ok === true;
        const error = e.error as { errorType?: string; errorMessage?: string } | undefined;
        if (error) item.error = [error.errorType, error.errorMessage].filter(Boolean).join(': ');
        if (quiet) {
          this.quietInvocations.delete(requestId);
          // A failing GET /viruses is the learner's to see, even when the board made the call.
          if (!item.ok) this.push(item);
        }
        return;
      }
      case 'log': {
        const requestId = str(e.requestId);
        const item = this.invocations.get(requestId) ?? this.quietInvocations.get(requestId);
        if (item && item.logs.length < MAX_LOGS_PER_INVOCATION)
          item.logs.push({ time: e.time, level: str(e.level), message: str(e.message) });
        return;
      }
      case 'dynamodb.write':
        this.write(e);
        return;
      case 'http.request': {
        const method = str(e.method);
        const path = str(e.path);
        if (method === 'GET' && path === '/viruses') {
          this.quietRequests.add(e.seq);
          trimSet(this.quietRequests, 200);
          return;
        }
        const item: HttpItem = { type: 'http', seq: e.seq, time: e.time, method, path, origin: 'HTTP API' };
        this.requests.set(e.seq, item);
        this.push(item);
        return;
      }
      case 'http.response': {
        const item = e.cause === undefined ? undefined : this.requests.get(e.cause);
        if (item) item.status = Number(e.status);
        return;
      }
      case 'stack.deploy': {
        const name = str(e.stack);
        if (!this.stackNames.includes(name)) this.stackNames.push(name);
        this.push({ type: 'notice', seq: e.seq, time: e.time, level: 'info', text: `Deployed ${name}` });
        return;
      }
      case 'stack.warning':
        this.push({ type: 'notice', seq: e.seq, time: e.time, level: 'warning', text: str(e.message) });
        return;
      default:
        return;
    }
  }

  /**
   * Takes the learner's GET /viruses answer as the truth about the table, as of the trace
   * seq at which the request left: what the trace said later (a new virus, a kill) wins.
   */
  mergeList(list: Virus[], asOfSeq: number): void {
    const listed = new Set(list.map((v) => v.id));
    for (const [id, v] of this.viruses) if (!listed.has(id) && v.seenSeq <= asOfSeq) this.viruses.delete(id);
    for (const v of list) {
      if (typeof v?.id !== 'string' || this.viruses.has(v.id)) continue;
      if ((this.deleted.get(v.id) ?? 0) > asOfSeq) continue;
      const born = v.createdAt ? Date.parse(v.createdAt) : NaN;
      this.viruses.set(v.id, {
        id: v.id,
        createdAt: v.createdAt,
        seenSeq: asOfSeq,
        bornAt: Number.isFinite(born) ? born : this.lastTime,
      });
    }
  }

  /**
   * For a board with no trace (the learner's API on AWS): each answer of GET /viruses is the
   * whole table. A virus new to it arrives at its createdAt (or `now`); one the board killed
   * stays off while an answer that left before the kill still lists it.
   */
  replaceList(list: Virus[], now: number): void {
    const listed = new Set(list.filter((v) => typeof v?.id === 'string').map((v) => v.id));
    for (const id of this.viruses.keys()) if (!listed.has(id)) this.viruses.delete(id);
    for (const id of this.deleted.keys()) if (!listed.has(id)) this.deleted.delete(id);
    for (const v of list) {
      if (!listed.has(v?.id) || this.viruses.has(v.id) || this.deleted.has(v.id)) continue;
      const born = v.createdAt ? Date.parse(v.createdAt) : NaN;
      const bornAt = Number.isFinite(born) ? born : now;
      this.viruses.set(v.id, { id: v.id, createdAt: v.createdAt, seenSeq: 0, bornAt });
      this.arrivals.push(bornAt);
    }
    this.arrivals.sort((a, b) => a - b);
    if (this.arrivals.length > this.arrivalLimit)
      this.arrivals.splice(0, this.arrivals.length - this.arrivalLimit);
  }

  /** A change the learner's WebSocket API pushed: a virus appeared (at its createdAt, or `now`) or was killed. */
  pushed(m: PushMessage, now: number): void {
    const { id, createdAt } = m.virus;
    if (m.type === 'REMOVE') {
      this.viruses.delete(id);
      this.deleted.set(id, this.lastSeq);
      trimMap(this.deleted, 2000);
      return;
    }
    if (this.viruses.has(id)) return;
    const born = createdAt ? Date.parse(createdAt) : NaN;
    const bornAt = Number.isFinite(born) ? born : now;
    this.viruses.set(id, { id, createdAt, seenSeq: this.lastSeq, bornAt });
    this.arrivals.push(bornAt);
    if (this.arrivals.length > this.arrivalLimit)
      this.arrivals.splice(0, this.arrivals.length - this.arrivalLimit);
  }

  /** A kill the board made itself, before the trace reports the DeleteItem. */
  removeVirus(id: string): void {
    this.viruses.delete(id);
    this.deleted.set(id, this.lastSeq);
  }

  /** The viruses, newest first. */
  virusList(): VirusOnBoard[] {
    return [...this.viruses.values()].sort((a, b) => b.bornAt - a.bornAt || b.seenSeq - a.seenSeq);
  }

  /** The newest `limit` viruses, and how many more there are: a carpet of a thousand helps nobody. */
  virusesShown(limit: number): { shown: VirusOnBoard[]; more: number } {
    const all = this.virusList();
    return { shown: all.slice(0, limit), more: Math.max(0, all.length - limit) };
  }

  /** The origins on the timeline now, the busiest first, with how many items each has there. */
  timelineOrigins(): Array<{ origin: string; count: number }> {
    return [...this.originCounts]
      .map(([origin, count]) => ({ origin, count }))
      .sort((a, b) => b.count - a.count || a.origin.localeCompare(b.origin));
  }

  /** The timeline, newest first. */
  timelineNewestFirst(): TimelineItem[] {
    return [...this.timeline].reverse();
  }

  private stateExited(e: TraceEntry<'sfn.state.exit'>): void {
    const arn = str(e.executionArn);
    const enterSeq = typeof e.enterSeq === 'number' ? e.enterSeq : undefined;
    const execution = this.executions.get(arn);
    const step = execution?.states.find((s) => s.enterSeq === enterSeq);
    if (step) step.exitTime = e.time;
    for (const [token, a] of this.approvals)
      if (a.executionArn === arn && a.enterSeq === enterSeq) this.approvals.delete(token);
    // One wait per execution: what ChooseWaitTime chose, or else how long a Wait state lasted.
    if (this.waited.has(arn)) return;
    const output = e.output as { numberOfSeconds?: unknown } | undefined;
    let seconds: number | undefined;
    if (output && typeof output === 'object' && typeof output.numberOfSeconds === 'number')
      seconds = output.numberOfSeconds;
    else if (e.type === 'Wait' && step) seconds = (e.time - step.enterTime) / 1000;
    if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return;
    this.waited.add(arn);
    trimSet(this.waited, 5000);
    this.waitCounts[Math.min(MAX_WAIT_SECONDS + 1, Math.round(seconds))]++;
    this.waitTotal++;
  }

  private taskToken(e: TraceEntry<'sfn.task.token'>): void {
    const arn = str(e.executionArn);
    const enterSeq = e.cause ?? 0;
    // A retried task gets a new token: the old one can no longer be answered.
    for (const [token, a] of this.approvals)
      if (a.executionArn === arn && a.enterSeq === enterSeq) this.approvals.delete(token);
    const token = str(e.token);
    this.approvals.set(token, {
      token,
      stateName: str(e.stateName),
      executionArn: arn,
      execution: this.executions.get(arn)?.name ?? lastSegment(arn),
      input: e.input,
      time: e.time,
      enterSeq,
      ...approvalSummary(e.input, (name) => this.short(name)),
    });
    this.approvalsSeen = true;
  }

  private write(e: TraceEntry<'dynamodb.write'>): void {
    const table = str(e.table);
    const op = str(e.op);
    const isPut = op === 'PutItem' || op === 'Put';
    const isDelete = op === 'DeleteItem' || op === 'Delete';
    const fields = plainItem(isPut ? e.item : e.key);
    const id = typeof fields.id === 'string' ? fields.id : undefined;
    this.push({
      type: 'write',
      seq: e.seq,
      time: e.time,
      op,
      table: this.short(table),
      id,
      fn: e.function === undefined ? undefined : this.short(str(e.function)),
      origin: e.function === undefined ? this.short(table) : this.short(str(e.function)),
    });
    if (!id || !isVirusTable(table) || this.virusesFromPush) return;
    if (isPut && !this.viruses.has(id)) {
      const createdAt = typeof fields.createdAt === 'string' ? fields.createdAt : undefined;
      this.viruses.set(id, { id, createdAt, seenSeq: e.seq, bornAt: e.time });
      this.arrivals.push(e.time);
      if (this.arrivals.length > this.arrivalLimit)
        this.arrivals.splice(0, this.arrivals.length - this.arrivalLimit);
    } else if (isDelete) {
      this.viruses.delete(id);
      this.deleted.set(id, e.seq);
      trimMap(this.deleted, 2000);
    }
  }

  private push(item: TimelineItem): void {
    this.timeline.push(item);
    const origin = item.origin ?? '';
    const count = (this.originCounts.get(origin) ?? 0) + 1;
    this.originCounts.set(origin, count);
    if (count > this.timelineLimit) this.drop(this.timeline.findIndex((i) => (i.origin ?? '') === origin));
    if (this.timeline.length > this.timelineTotal) this.drop(0);
  }

  private drop(index: number): void {
    const [old] = this.timeline.splice(index, 1);
    const origin = old.origin ?? '';
    const left = (this.originCounts.get(origin) ?? 1) - 1;
    if (left > 0) this.originCounts.set(origin, left);
    else this.originCounts.delete(origin);
    if (old.type === 'invocation') this.invocations.delete(old.requestId);
    else if (old.type === 'execution') this.executions.delete(old.arn);
    else if (old.type === 'event') this.events.delete(old.seq);
    else if (old.type === 'http') this.requests.delete(old.seq);
  }

  /** What invoked a function, in the learner's words: `state ChooseWaitTime of virusCreation`, `rule …`, `GET /viruses`. */
  private sourceOf(source: string): string {
    const sfn = /^sfn (\S+) (.+)$/.exec(source);
    if (sfn) return `state ${sfn[2]} of ${this.short(sfn[1])}`;
    const rule = /^rule (.+)$/.exec(source);
    return rule ? `rule ${this.short(rule[1])}` : source;
  }

  /** `dojo-serverless-local-createVirus` reads better as `createVirus`. */
  private short(name: string): string {
    for (const stack of this.stackNames)
      if (name.startsWith(`${stack}-`) && name.length > stack.length + 1) return name.slice(stack.length + 1);
    return name;
  }
}

/**
 * What an approval row leads with. A waiting task's input is what it sent: a Lambda's Payload
 * (`lambda:invoke.waitForTaskToken`), an event's Detail (`events:putEvents.waitForTaskToken`), or
 * the fields themselves. Its own fields come first (ids, then strength, then the rest), the token
 * left out (the buttons answer it); the function it called comes last, by its short name.
 */
export function approvalSummary(
  input: unknown,
  short: (name: string) => string = (n) => n,
): { facts: Array<[string, string]>; via?: string } {
  const task = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const entry = Array.isArray(task.Entries) ? (task.Entries[0] as Record<string, unknown>) : undefined;
  let fields: unknown = task.Payload ?? entry?.Detail ?? (entry ? {} : task);
  if (typeof fields === 'string') {
    try {
      fields = JSON.parse(fields) as unknown;
    } catch {
      fields = { detail: fields };
    }
  }
  const rank = (key: string) => (/id$/i.test(key) ? 0 : /strength|level|score/i.test(key) ? 1 : 2);
  const facts = Object.entries(fields && typeof fields === 'object' ? fields : { input: fields })
    .filter(([key]) => !/token/i.test(key) && !(fields === task && key === 'FunctionName'))
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([key, value]): [string, string] => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]);
  const called = typeof task.FunctionName === 'string' ? task.FunctionName : undefined;
  return { facts, ...(called ? { via: short(lastSegment(called)) } : {}) };
}

/** The learner names the table; every session's starter calls it `…-viruses`. */
export function isVirusTable(table: string): boolean {
  return /virus/i.test(table);
}

function str(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

function trimSet<T>(set: Set<T>, max: number): void {
  if (set.size <= max) return;
  for (const v of set) {
    set.delete(v);
    if (set.size <= max) return;
  }
}

function trimMap<K, V>(map: Map<K, V>, max: number): void {
  if (map.size <= max) return;
  for (const k of map.keys()) {
    map.delete(k);
    if (map.size <= max) return;
  }
}
