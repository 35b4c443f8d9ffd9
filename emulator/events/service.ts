/**
 * EventBridge in the local cloud: buses (the default one always), rules with event patterns
 * or schedules on the virtual clock, targets (Lambda, Step Functions, SQS) with Input, InputPath
 * and InputTransformer, and the JSON API that @aws-sdk/client-eventbridge speaks.
 */
import { randomUUID } from 'node:crypto';
import type { VirtualClock } from '../core/clock.ts';
import { AwsError } from '../core/errors.ts';
import type { Trace } from '../core/trace.ts';
import { matchesPattern, parseEventPattern, type EventPattern } from './pattern.ts';
import { nextFireTime, parseScheduleExpression, type Schedule } from './schedule.ts';
import { makeEvent, scheduledEvent, type EventEnvelope } from './envelope.ts';
import { validateEntry, validatePutEventsRequest } from './put-events.ts';
import { targetInput, validateTargetInput } from './target-input.ts';
import { deliverToQueue, type SendToQueue } from '../sqs/target-delivery.ts';

export interface EventBridgeDeps {
  clock: VirtualClock;
  trace: Trace;
  region: string;
  accountId: string;
  /** Asynchronous Lambda invoke (rule targets do not wait for the function). */
  invokeLambda(arn: string, event: unknown, opts: { cause?: number; source: string }): Promise<unknown>;
  startExecution(stateMachineArn: string, input: string, opts: { cause?: number }): Promise<unknown>;
  /** SendMessage to the queue of that ARN; throws SQS's error (a FIFO queue needs a group id). */
  sendMessage: SendToQueue;
}

export interface Target {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  /** For a FIFO queue target: the message group of every event it sends. */
  SqsParameters?: { MessageGroupId?: string };
}

interface Rule {
  name: string;
  bus: string;
  arn: string;
  description?: string;
  eventPatternText?: string;
  pattern?: EventPattern;
  scheduleExpression?: string;
  schedule?: Schedule;
  state: 'ENABLED' | 'DISABLED';
  targets: Target[];
  createdAt: number;
  timer?: unknown;
  managedBy?: string;
}

export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: Date | string | number;
}

export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }>;
}

export class EventBridgeService {
  private readonly buses = new Map<string, { name: string; arn: string; createdAt: number }>();
  private readonly rules = new Map<string, Rule>();

  constructor(private readonly deps: EventBridgeDeps) {
    this.createBus('default');
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.deps.region}:${this.deps.accountId}:event-bus/${name}`;
  }

  createBus(name: string): { name: string; arn: string } {
    if (!/^[/.\-_A-Za-z0-9]{1,256}$/.test(name)) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+`,
      );
    }
    const existing = this.buses.get(name);
    if (existing) return existing;
    const bus = { name, arn: this.busArn(name), createdAt: this.deps.clock.now() };
    this.buses.set(name, bus);
    return bus;
  }

  putRule(input: {
    Name: string;
    EventBusName?: string;
    EventPattern?: string | object;
    ScheduleExpression?: string;
    State?: string;
    Description?: string;
  }): { RuleArn: string } {
    const bus = this.resolveBus(input.EventBusName);
    if (!input.EventPattern && !input.ScheduleExpression) {
      throw new AwsError(
        'ValidationException',
        'Parameter(s) EventPattern or ScheduleExpression must be specified.',
      );
    }
    if (input.ScheduleExpression && bus !== 'default') {
      throw new AwsError(
        'ValidationException',
        'ScheduleExpression is supported only on the default event bus.',
      );
    }
    const pattern = input.EventPattern !== undefined ? parseEventPattern(input.EventPattern) : undefined;
    const schedule = input.ScheduleExpression ? parseScheduleExpression(input.ScheduleExpression) : undefined;
    const key = `${bus}/${input.Name}`;
    const old = this.rules.get(key);
    if (old?.timer !== undefined) this.deps.clock.clearTimeout(old.timer);
    const arn =
      bus === 'default'
        ? `arn:aws:events:${this.deps.region}:${this.deps.accountId}:rule/${input.Name}`
        : `arn:aws:events:${this.deps.region}:${this.deps.accountId}:rule/${bus}/${input.Name}`;
    const rule: Rule = {
      name: input.Name,
      bus,
      arn,
      description: input.Description,
      eventPatternText:
        input.EventPattern === undefined
          ? undefined
          : typeof input.EventPattern === 'string'
            ? input.EventPattern
            : JSON.stringify(input.EventPattern),
      pattern,
      scheduleExpression: input.ScheduleExpression,
      schedule,
      state: input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      targets: old?.targets ?? [],
      createdAt: this.deps.clock.now(),
    };
    this.rules.set(key, rule);
    this.arm(rule);
    return { RuleArn: arn };
  }

  putTargets(ruleName: string, busName: string | undefined, targets: Target[]): void {
    const rule = this.rule(ruleName, busName);
    if (targets.length > 5) {
      throw new AwsError(
        'LimitExceededException',
        `The requested resource exceeds the maximum number allowed.`,
      );
    }
    for (const t of targets) validateTargetInput(t);
    for (const t of targets) {
      const others = rule.targets.filter((x) => x.Id !== t.Id);
      rule.targets = [...others, t];
    }
  }

  /** The rule's targets become exactly these (PutTargets of the new, RemoveTargets of the rest). */
  setTargets(ruleName: string, busName: string | undefined, targets: Target[]): void {
    const rule = this.rule(ruleName, busName);
    const keep = new Set(targets.map((t) => t.Id));
    const removed = rule.targets.filter((t) => !keep.has(t.Id));
    rule.targets = rule.targets.filter((t) => keep.has(t.Id));
    try {
      this.putTargets(ruleName, busName, targets);
    } catch (err) {
      rule.targets = [...rule.targets, ...removed];
      throw err;
    }
  }

  /** DeleteRule with Force: its schedule stops, its targets go with it. */
  deleteRule(name: string, busName: string | undefined): void {
    const bus = this.findBus(busName);
    const rule = bus && this.rules.get(`${bus}/${name}`);
    if (!rule) return;
    if (rule.timer !== undefined) this.deps.clock.clearTimeout(rule.timer);
    this.rules.delete(`${rule.bus}/${rule.name}`);
  }

  deleteBus(name: string): void {
    if (name === 'default') throw new AwsError('ValidationException', 'Cannot delete event bus default.');
    this.buses.delete(name);
  }

  deleteAll(): void {
    for (const rule of this.rules.values())
      if (rule.timer !== undefined) this.deps.clock.clearTimeout(rule.timer);
    this.rules.clear();
  }

  /** PutEvents: validates each entry like AWS, then routes the good ones to matching rules. */
  putEvents(entries: PutEventsEntry[], opts: { cause?: number; caller?: string } = {}): PutEventsResult {
    validatePutEventsRequest(entries);
    const out: PutEventsResult = { FailedEntryCount: 0, Entries: [] };
    for (const entry of entries) {
      const problem = validateEntry(entry);
      if (problem) {
        out.FailedEntryCount++;
        out.Entries.push(problem);
        this.deps.trace.record({
          kind: 'events.rejected',
          cause: opts.cause,
          caller: opts.caller,
          bus: entry.EventBusName ?? 'default',
          source: entry.Source,
          detailType: entry.DetailType,
          ...problem,
        });
        continue;
      }
      const id = randomUUID();
      // makeEvent reads entry.Time itself (epoch seconds on the wire); now is the default.
      const event = makeEvent(entry, {
        id,
        time: this.deps.clock.now(),
        account: this.deps.accountId,
        region: this.deps.region,
      });
      out.Entries.push({ EventId: id });
      // AWS accepts an entry for a bus that does not exist (recorded: an EventId, FailedEntryCount
      // 0) and the event reaches no rule; the trace says so, for the live log and the checker.
      const bus = this.findBus(entry.EventBusName);
      const put = this.deps.trace.record({
        kind: 'events.put',
        cause: opts.cause,
        caller: opts.caller,
        bus: bus ?? busNameOf(entry.EventBusName),
        eventId: id,
        source: event.source,
        detailType: event['detail-type'],
        detail: event.detail,
        ...(bus ? {} : { noSuchBus: true }),
      });
      if (bus) this.route(bus, event, put.seq);
    }
    return out;
  }

  /**
   * TestEventPattern, validated as AWS answers it (recorded, not as its API reference reads):
   * the event must be a JSON object with `id`, `account`, `source`, `time`, `region` and
   * `detail-type`. The reference also lists `resources` as required, but AWS accepts events
   * without it (and without `detail`); anything else is "Parameter Event is not valid.",
   * with no reason given. Cases and sources: test/conformance/eventbridge/cases.ts.
   */
  testEventPattern(pattern: string, event: string): boolean {
    const parsed = parseEventPattern(pattern);
    let e: unknown;
    try {
      e = JSON.parse(event);
    } catch {
      e = undefined;
    }
    if (!e || typeof e !== 'object' || Array.isArray(e) || TEST_EVENT_FIELDS.some((field) => !(field in e))) {
      throw new AwsError('ValidationException', 'Parameter Event is not valid.');
    }
    return matchesPattern(parsed, e as object);
  }

  /** The JSON API (X-Amz-Target: AWSEvents.<Action>). */
  async handle(action: string, input: any, opts: { cause?: number; caller?: string }): Promise<unknown> {
    switch (action) {
      case 'PutEvents':
        return this.putEvents(input.Entries ?? [], opts);
      case 'PutRule':
        return this.putRule(input);
      case 'DeleteRule': {
        // "If you call delete rule multiple times for the same rule, all calls will succeed.
        // When you call delete rule for a non-existent custom eventbus, ResourceNotFoundException
        // is returned." (API reference, DeleteRule)
        const bus = this.resolveBus(input.EventBusName);
        const rule = this.rules.get(`${bus}/${input.Name}`);
        if (!rule) return {};
        if (rule.targets.length > 0 && !input.Force) {
          throw new AwsError('ValidationException', "Rule can't be deleted since it has targets.");
        }
        this.deleteRule(rule.name, rule.bus);
        return {};
      }
      case 'DescribeRule': {
        const r = this.rule(input.Name, input.EventBusName);
        return {
          Name: r.name,
          Arn: r.arn,
          EventBusName: r.bus,
          EventPattern: r.eventPatternText,
          ScheduleExpression: r.scheduleExpression,
          State: r.state,
          Description: r.description,
          CreatedBy: this.deps.accountId,
        };
      }
      case 'ListRules': {
        const bus = this.resolveBus(input.EventBusName);
        const rules = [...this.rules.values()].filter(
          (r) => r.bus === bus && (!input.NamePrefix || r.name.startsWith(input.NamePrefix)),
        );
        return {
          Rules: rules.map((r) => ({
            Name: r.name,
            Arn: r.arn,
            EventBusName: r.bus,
            EventPattern: r.eventPatternText,
            ScheduleExpression: r.scheduleExpression,
            State: r.state,
          })),
        };
      }
      case 'EnableRule':
      case 'DisableRule': {
        const r = this.rule(input.Name, input.EventBusName);
        r.state = action === 'EnableRule' ? 'ENABLED' : 'DISABLED';
        this.arm(r);
        return {};
      }
      case 'PutTargets': {
        this.putTargets(input.Rule, input.EventBusName, input.Targets ?? []);
        return { FailedEntryCount: 0, FailedEntries: [] };
      }
      case 'RemoveTargets': {
        const r = this.rule(input.Rule, input.EventBusName);
        const ids = new Set<string>(input.Ids ?? []);
        r.targets = r.targets.filter((t) => !ids.has(t.Id));
        return { FailedEntryCount: 0, FailedEntries: [] };
      }
      case 'ListTargetsByRule':
        return { Targets: this.rule(input.Rule, input.EventBusName).targets };
      case 'ListEventBuses':
        return {
          EventBuses: [...this.buses.values()]
            .filter((b) => !input.NamePrefix || b.name.startsWith(input.NamePrefix))
            .map((b) => ({ Name: b.name, Arn: b.arn })),
        };
      case 'DescribeEventBus': {
        const name = this.resolveBus(input.Name);
        const b = this.buses.get(name)!;
        return { Name: b.name, Arn: b.arn };
      }
      case 'CreateEventBus':
        if (this.buses.has(input.Name))
          throw new AwsError('ResourceAlreadyExistsException', `Event bus ${input.Name} already exists.`);
        return { EventBusArn: this.createBus(input.Name).arn };
      case 'DeleteEventBus':
        this.deleteBus(input.Name);
        return {};
      case 'TestEventPattern':
        return { Result: this.testEventPattern(input.EventPattern, input.Event) };
      default:
        throw new AwsError(
          'UnknownOperationException',
          `The local cloud's EventBridge does not support ${action}.`,
        );
    }
  }

  /** For the board and the checker: the rules as they stand. */
  listAllRules(): Array<{
    name: string;
    bus: string;
    arn: string;
    schedule?: string;
    pattern?: string;
    targets: string[];
    state: string;
  }> {
    return [...this.rules.values()].map((r) => ({
      name: r.name,
      bus: r.bus,
      arn: r.arn,
      schedule: r.scheduleExpression,
      pattern: r.eventPatternText,
      targets: r.targets.map((t) => t.Arn),
      state: r.state,
    }));
  }

  private route(bus: string, event: EventEnvelope, putSeq: number): void {
    for (const rule of this.rules.values()) {
      if (rule.bus !== bus || rule.state !== 'ENABLED' || !rule.pattern) continue;
      if (!matchesPattern(rule.pattern, event)) continue;
      const match = this.deps.trace.record({
        kind: 'rule.match',
        cause: putSeq,
        rule: rule.name,
        ruleArn: rule.arn,
        bus,
        eventId: event.id,
      });
      this.deliver(rule, event, match.seq);
    }
  }

  /** Schedules fire on the virtual clock, then re-arm for the next time. */
  private arm(rule: Rule): void {
    if (rule.timer !== undefined) this.deps.clock.clearTimeout(rule.timer);
    rule.timer = undefined;
    if (!rule.schedule || rule.state !== 'ENABLED') return;
    const now = this.deps.clock.now();
    const next = nextFireTime(rule.schedule, now, rule.createdAt);
    if (next === undefined) return;
    rule.timer = this.deps.clock.setTimeout(() => {
      rule.timer = undefined;
      const fired = this.deps.trace.record({
        kind: 'schedule.fire',
        rule: rule.name,
        ruleArn: rule.arn,
        schedule: rule.scheduleExpression,
        at: new Date(next).toISOString(),
      });
      const event = scheduledEvent(rule.arn, next, {
        id: randomUUID(),
        account: this.deps.accountId,
        region: this.deps.region,
      });
      this.deliver(rule, event, fired.seq);
      this.arm(rule);
    }, next - now);
  }

  private deliver(rule: Rule, event: EventEnvelope, cause: number): void {
    for (const target of rule.targets) {
      let input: string;
      try {
        input = targetInput(target, event, {
          ruleName: rule.name,
          ruleArn: rule.arn,
          ingestionTime: new Date(this.deps.clock.now()).toISOString(),
        });
      } catch (err) {
        this.deps.trace.record({
          kind: 'target.error',
          cause,
          rule: rule.name,
          target: target.Arn,
          error: (err as Error).message,
        });
        continue;
      }
      const sent = this.deps.trace.record({
        kind: 'target.invoke',
        cause,
        rule: rule.name,
        target: target.Arn,
        eventId: event.id,
      });
      const onError = (err: unknown) =>
        this.deps.trace.record({
          kind: 'target.error',
          cause: sent.seq,
          rule: rule.name,
          target: target.Arn,
          error: (err as Error).message,
        });
      if (/^arn:aws[a-z-]*:lambda:/.test(target.Arn)) {
        this.deps
          .invokeLambda(target.Arn, JSON.parse(input), { cause: sent.seq, source: `rule ${rule.name}` })
          .catch(onError);
      } else if (/^arn:aws[a-z-]*:states:[^:]+:\d+:stateMachine:/.test(target.Arn)) {
        this.deps.startExecution(target.Arn, input, { cause: sent.seq }).catch(onError);
      } else if (/^arn:aws[a-z-]*:sqs:/.test(target.Arn)) {
        // The message body is the event (or what Input / InputTransformer made of it).
        deliverToQueue(this.deps.sendMessage, target, input, sent.seq, onError);
      } else {
        onError(
          new Error(
            `The local cloud cannot deliver to target ${target.Arn}: only Lambda functions, Step Functions state machines and SQS queues are supported.`,
          ),
        );
      }
    }
  }

  private resolveBus(nameOrArn: string | undefined): string {
    const name = this.findBus(nameOrArn);
    if (!name) throw new AwsError('ResourceNotFoundException', `Event bus ${nameOrArn} does not exist.`);
    return name;
  }

  private findBus(nameOrArn: string | undefined): string | undefined {
    const name = busNameOf(nameOrArn);
    return this.buses.has(name) ? name : undefined;
  }

  private rule(name: string, busName: string | undefined): Rule {
    const bus = this.resolveBus(busName);
    const rule = this.rules.get(`${bus}/${name}`);
    if (!rule)
      throw new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
    return rule;
  }
}

/** The fields TestEventPattern requires of an event, as AWS checks them (see testEventPattern). */
const TEST_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const;

/** A bus name from a name or an ARN; no name is the default bus. */
function busNameOf(nameOrArn: string | undefined): string {
  if (!nameOrArn) return 'default';
  return nameOrArn.startsWith('arn:')
    ? nameOrArn.slice(nameOrArn.indexOf('event-bus/') + 'event-bus/'.length)
    : nameOrArn;
}
