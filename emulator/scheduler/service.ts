/**
 * EventBridge Scheduler in the local cloud: schedule groups, schedules (one-time `at()`,
 * `rate()` and `cron()` in a time zone) that fire on the virtual clock and invoke a Lambda
 * function, a state machine or an event bus, and everything traced with causal links:
 *
 *   scheduler.fire (the schedule came due) → scheduler.invoke (the target call) → invoke.start …
 *   scheduler.error (the target could not be invoked), scheduler.complete (no firing left)
 *
 * What it does with the settings AWS has:
 * - FlexibleTimeWindow FLEXIBLE: each firing happens at a random time within
 *   MaximumWindowInMinutes after the scheduled time, drawn from the cloud's seed, the schedule
 *   and the scheduled time (a check replayed with the same seed fires at the same times);
 * - StartDate/EndDate bound recurring schedules (one-time schedules ignore them, as on AWS);
 * - ActionAfterCompletion DELETE removes the schedule after its last firing;
 * - State DISABLED keeps the schedule and fires nothing;
 * - the target's role must allow the call (lambda:InvokeFunction, states:StartExecution,
 *   events:PutEvents on the target), as Scheduler assumes it on AWS: a denial is traced;
 * - a delivery that fails (the target is gone, the role may not call it) is retried with
 *   exponential backoff on the virtual clock, as the target's RetryPolicy says
 *   (MaximumRetryAttempts, default 185; MaximumEventAgeInSeconds, default 86400: "Retry
 *   attempts with exponential backoff continue until either the maximum number of attempts is
 *   made or until the duration of the MaximumEventAgeInSeconds is reached", CloudFormation's
 *   RetryPolicy reference). AWS does not publish its delays: here 1 s, doubling, at most 5 min.
 *   Once retries are exhausted the dead-letter event goes to DeadLetterConfig's SQS queue: the
 *   target's input as the body, what failed as message attributes (ERROR_CODE, ERROR_MESSAGE,
 *   EXECUTION_ID, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS, SCHEDULE_ARN, TARGET_ARN, as in
 *   https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html).
 *   A function that fails is Lambda's business (asynchronous invoke), as on AWS.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { VirtualClock } from '../core/clock.ts';
import { AwsError } from '../core/errors.ts';
import type { Trace } from '../core/trace.ts';
import type { PutEventsEntry, PutEventsResult } from '../events/service.ts';
import {
  DEFAULT_TIME_ZONE,
  isLastFiring,
  nextFiring,
  parseScheduleExpression,
  type FiringWindow,
  type ScheduleExpression,
} from './expression.ts';
import { firingInput, validateTarget, type ScheduleTarget, type TargetKind } from './targets.ts';
import { deliverToQueue, type SendToQueue } from '../sqs/target-delivery.ts';

export interface SchedulerDeps {
  clock: VirtualClock;
  trace: Trace;
  region: string;
  accountId: string;
  /** Seeds the flexible time windows (LocalCloudOptions.seed). */
  seed?: number;
  invokeLambda(arn: string, event: unknown, opts: { cause?: number; source: string }): Promise<unknown>;
  startExecution(stateMachineArn: string, input: string, opts: { cause?: number }): Promise<unknown>;
  putEvents(
    entries: PutEventsEntry[],
    opts: { cause?: number; caller?: string },
  ): PutEventsResult | Promise<PutEventsResult>;
  /** SendMessage to the queue of that ARN (a target, or a dead-letter queue); throws SQS's error. */
  sendMessage: SendToQueue;
  /** Why `roleArn` may not do `action` on `resource`; undefined when it may. */
  deniedToRole?(roleArn: string, action: string, resource: string): string | undefined;
}

export interface ScheduleInput {
  Name: string;
  GroupName?: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  StartDate?: Date | number | string;
  EndDate?: Date | number | string;
  Description?: string;
  State?: string;
  KmsKeyArn?: string;
  FlexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  Target: ScheduleTarget;
  ActionAfterCompletion?: string;
}

interface Schedule {
  name: string;
  group: string;
  arn: string;
  input: ScheduleInput;
  expression: ScheduleExpression;
  kind: TargetKind;
  start?: number;
  end?: number;
  /** Where a rate counts from: the StartDate, else when the schedule was created or last updated. */
  anchor: number;
  created: number;
  modified: number;
  timer?: unknown;
  /** The scheduled time of the pending firing (before its flexible offset). */
  due?: number;
  /** Timers of failed deliveries waiting to be retried. */
  retries: Set<unknown>;
}

/** One firing's delivery, across its attempts. */
interface Firing {
  scheduledTime: number;
  executionId: string;
  /** When the first attempt was made: MaximumEventAgeInSeconds counts from here. */
  firedAt: number;
  attempt: number;
}

interface Group {
  name: string;
  arn: string;
  created: number;
  modified: number;
}

export interface ScheduleView {
  Arn: string;
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  StartDate?: Date;
  EndDate?: Date;
  Description?: string;
  State: 'ENABLED' | 'DISABLED';
  KmsKeyArn?: string;
  FlexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  Target: ScheduleTarget;
  ActionAfterCompletion: 'NONE' | 'DELETE';
  CreationDate: Date;
  LastModificationDate: Date;
}

export interface GroupView {
  Arn: string;
  Name: string;
  State: 'ACTIVE';
  CreationDate: Date;
  LastModificationDate: Date;
}

const DEFAULT_GROUP = 'default';
const NAME = /^[0-9a-zA-Z-_.]{1,64}$/;

export class SchedulerService {
  private readonly groups = new Map<string, Group>();
  private readonly schedules = new Map<string, Schedule>();
  private readonly tags = new Map<string, Array<{ Key: string; Value: string }>>();

  constructor(private readonly deps: SchedulerDeps) {
    this.putGroup(DEFAULT_GROUP);
  }

  groupArn(name: string): string {
    return `arn:aws:scheduler:${this.deps.region}:${this.deps.accountId}:schedule-group/${name}`;
  }

  scheduleArn(group: string, name: string): string {
    return `arn:aws:scheduler:${this.deps.region}:${this.deps.accountId}:schedule/${group}/${name}`;
  }

  // ---- schedule groups ----------------------------------------------------------------

  createScheduleGroup(
    name: string,
    tags: Array<{ Key: string; Value: string }> = [],
  ): { ScheduleGroupArn: string } {
    checkName(name, 'name');
    if (this.groups.has(name))
      throw new AwsError('ConflictException', `Schedule group ${name} already exists.`, 409);
    const group = this.putGroup(name);
    if (tags.length) this.tags.set(group.arn, tags);
    return { ScheduleGroupArn: group.arn };
  }

  getScheduleGroup(name: string): GroupView {
    return groupView(this.group(name));
  }

  listScheduleGroups(prefix?: string): GroupView[] {
    return [...this.groups.values()].filter((g) => !prefix || g.name.startsWith(prefix)).map(groupView);
  }

  /** Deletes the group and its schedules (at once here; AWS takes a while, in state DELETING). */
  deleteScheduleGroup(name: string): void {
    if (name === DEFAULT_GROUP)
      throw new AwsError('ValidationException', 'The default schedule group cannot be deleted.');
    const group = this.group(name);
    for (const s of [...this.schedules.values()]) if (s.group === name) this.remove(s);
    this.groups.delete(name);
    this.tags.delete(group.arn);
  }

  // ---- schedules ----------------------------------------------------------------------

  createSchedule(input: ScheduleInput): { ScheduleArn: string } {
    const group = this.group(input.GroupName ?? DEFAULT_GROUP);
    checkName(input.Name, 'name');
    const key = `${group.name}/${input.Name}`;
    if (this.schedules.has(key))
      throw new AwsError('ConflictException', `Schedule ${input.Name} already exists.`, 409);
    const now = this.deps.clock.now();
    const schedule: Schedule = {
      name: input.Name,
      group: group.name,
      arn: this.scheduleArn(group.name, input.Name),
      created: now,
      retries: new Set(),
      ...this.settings(input, now),
    };
    this.schedules.set(key, schedule);
    this.arm(schedule);
    return { ScheduleArn: schedule.arn };
  }

  /** UpdateSchedule replaces every setting (what is left out goes back to its default), as on AWS. */
  updateSchedule(input: ScheduleInput): { ScheduleArn: string } {
    const schedule = this.schedule(input.Name, input.GroupName);
    Object.assign(schedule, this.settings(input, this.deps.clock.now()));
    this.arm(schedule);
    return { ScheduleArn: schedule.arn };
  }

  getSchedule(name: string, group?: string): ScheduleView {
    return this.view(this.schedule(name, group));
  }

  deleteSchedule(name: string, group?: string): void {
    this.remove(this.schedule(name, group));
  }

  listSchedules(filter: { GroupName?: string; NamePrefix?: string; State?: string } = {}): ScheduleView[] {
    if (filter.GroupName) this.group(filter.GroupName);
    return [...this.schedules.values()]
      .filter(
        (s) =>
          (!filter.GroupName || s.group === filter.GroupName) &&
          (!filter.NamePrefix || s.name.startsWith(filter.NamePrefix)) &&
          (!filter.State || state(s) === filter.State),
      )
      .map((s) => this.view(s));
  }

  // ---- tags ----------------------------------------------------------------------------

  tagResource(arn: string, tags: Array<{ Key: string; Value: string }>): void {
    this.taggable(arn);
    const kept = (this.tags.get(arn) ?? []).filter((t) => !tags.some((n) => n.Key === t.Key));
    this.tags.set(arn, [...kept, ...tags]);
  }

  untagResource(arn: string, keys: string[]): void {
    this.taggable(arn);
    this.tags.set(
      arn,
      (this.tags.get(arn) ?? []).filter((t) => !keys.includes(t.Key)),
    );
  }

  listTagsForResource(arn: string): Array<{ Key: string; Value: string }> {
    this.taggable(arn);
    return this.tags.get(arn) ?? [];
  }

  /** For the board, the checker and stop(): every schedule as it stands. */
  all(): ScheduleView[] {
    return [...this.schedules.values()].map((s) => this.view(s));
  }

  /** The next firing of a schedule (epoch ms, after its flexible offset), if one is pending. */
  nextFiringOf(name: string, group?: string): number | undefined {
    const s = this.schedule(name, group);
    return s.due === undefined ? undefined : s.due + this.flexibleOffset(s, s.due);
  }

  dispose(): void {
    for (const s of this.schedules.values()) {
      this.disarm(s);
      for (const t of s.retries) this.deps.clock.clearTimeout(t);
    }
  }

  // ---- firing ----------------------------------------------------------------------------

  private arm(s: Schedule): void {
    this.disarm(s);
    if (state(s) !== 'ENABLED') return;
    const now = this.deps.clock.now();
    // A firing comes due once its minute has begun: `after` is just before now.
    const due = nextFiring(s.expression, { ...this.window(s), after: now - 1 });
    if (due === undefined) return;
    s.due = due;
    const at = due + this.flexibleOffset(s, due);
    s.timer = this.deps.clock.setTimeout(() => this.fire(s, due), at - now);
  }

  private disarm(s: Schedule): void {
    if (s.timer !== undefined) this.deps.clock.clearTimeout(s.timer);
    s.timer = undefined;
    s.due = undefined;
  }

  private fire(s: Schedule, scheduledTime: number): void {
    s.timer = undefined;
    s.due = undefined;
    const last = isLastFiring(s.expression, this.window(s), scheduledTime);
    const fired = this.deps.trace.record({
      kind: 'scheduler.fire',
      schedule: s.name,
      group: s.group,
      scheduleArn: s.arn,
      expression: s.expression.expression,
      timezone: s.expression.zone,
      scheduledTime: new Date(scheduledTime).toISOString(),
      target: s.input.Target.Arn,
    });
    this.deliver(s, scheduledTime, fired.seq);
    if (!last) {
      // The next firing strictly after this one's scheduled time.
      const due = nextFiring(s.expression, { ...this.window(s), after: scheduledTime });
      if (due !== undefined) {
        s.due = due;
        s.timer = this.deps.clock.setTimeout(
          () => this.fire(s, due),
          Math.max(0, due + this.flexibleOffset(s, due) - this.deps.clock.now()),
        );
        return;
      }
    }
    const deleted = s.input.ActionAfterCompletion === 'DELETE';
    this.deps.trace.record({
      kind: 'scheduler.complete',
      cause: fired.seq,
      schedule: s.name,
      group: s.group,
      scheduleArn: s.arn,
      deleted,
    });
    if (deleted) this.remove(s);
  }

  private deliver(s: Schedule, scheduledTime: number, cause: number): void {
    this.attempt(
      s,
      { scheduledTime, executionId: randomUUID(), firedAt: this.deps.clock.now(), attempt: 1 },
      cause,
    );
  }

  /** One attempt at delivering a firing; a failure is retried or dead-lettered (see the module doc). */
  private attempt(s: Schedule, firing: Firing, cause: number): void {
    const target = s.input.Target;
    const failed = (code: string, error: string, after = cause) => {
      const entry = this.deps.trace.record({
        kind: 'scheduler.error',
        cause: after,
        schedule: s.name,
        group: s.group,
        target: target.Arn,
        error,
        attempt: firing.attempt,
      });
      this.retryOrDeadLetter(s, firing, code, error, entry.seq);
    };
    const denied = this.deps.deniedToRole?.(target.RoleArn, ACTION[s.kind], target.Arn);
    if (denied) {
      failed(
        'AccessDeniedException',
        `EventBridge Scheduler could not invoke ${target.Arn} with the role ${target.RoleArn}: ${denied}`,
      );
      return;
    }
    const input = firingInput(target, s.kind, {
      scheduleArn: s.arn,
      scheduledTime: firing.scheduledTime,
      executionId: firing.executionId,
      attempt: firing.attempt,
    });
    const sent = this.deps.trace.record({
      kind: 'scheduler.invoke',
      cause,
      schedule: s.name,
      group: s.group,
      target: target.Arn,
      executionId: firing.executionId,
      input,
    });
    const onError = (err: unknown) =>
      failed((err as Error).name ?? 'Error', (err as Error).message, sent.seq);
    if (s.kind === 'lambda') {
      let event: unknown;
      try {
        event = JSON.parse(input);
      } catch {
        onError(
          new Error(
            `The Input of schedule ${s.name} is not valid JSON, and a Lambda function takes a JSON event: ${input}`,
          ),
        );
        return;
      }
      this.deps
        .invokeLambda(target.Arn, event, { cause: sent.seq, source: `schedule ${s.group}/${s.name}` })
        .catch(onError);
    } else if (s.kind === 'states') {
      this.deps.startExecution(target.Arn, input, { cause: sent.seq }).catch(onError);
    } else if (s.kind === 'sqs') {
      deliverToQueue(this.deps.sendMessage, target, input, sent.seq, onError);
    } else {
      const params = target.EventBridgeParameters!;
      Promise.resolve(
        this.deps.putEvents(
          [{ EventBusName: target.Arn, Source: params.Source, DetailType: params.DetailType, Detail: input }],
          { cause: sent.seq, caller: 'scheduler' },
        ),
      )
        .then((out) => {
          const entry = out.Entries[0];
          if (entry?.ErrorCode)
            onError(new Error(`PutEvents refused the entry: ${entry.ErrorCode}: ${entry.ErrorMessage}`));
        })
        .catch(onError);
    }
  }

  private retryOrDeadLetter(s: Schedule, firing: Firing, code: string, error: string, cause: number): void {
    const target = s.input.Target;
    const maxRetries = target.RetryPolicy?.MaximumRetryAttempts ?? 185;
    const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? 86_400) * 1000;
    const retries = firing.attempt - 1;
    const delay = Math.min(1000 * 2 ** retries, 5 * 60_000);
    const age = this.deps.clock.now() + delay - firing.firedAt;
    const exhausted =
      retries >= maxRetries
        ? 'MaximumRetryAttempts'
        : age > maxAgeMs
          ? 'MaximumEventAgeInSeconds'
          : undefined;
    if (!exhausted) {
      const timer = this.deps.clock.setTimeout(() => {
        s.retries.delete(timer);
        // A firing already made is retried even if its schedule was deleted since (a one-time
        // schedule with ActionAfterCompletion DELETE is gone at once).
        this.attempt(s, { ...firing, attempt: firing.attempt + 1 }, cause);
      }, delay);
      s.retries.add(timer);
      return;
    }
    const dlq = target.DeadLetterConfig?.Arn;
    if (!dlq) return;
    const body = firingInput(target, s.kind, {
      scheduleArn: s.arn,
      scheduledTime: firing.scheduledTime,
      executionId: firing.executionId,
      attempt: firing.attempt,
    });
    try {
      this.deps.sendMessage(
        dlq,
        {
          body,
          attributes: {
            ERROR_CODE: code,
            ERROR_MESSAGE: error,
            EXECUTION_ID: firing.executionId,
            EXHAUSTED_RETRY_CONDITION: exhausted,
            RETRY_ATTEMPTS: String(retries),
            SCHEDULE_ARN: s.arn,
            TARGET_ARN: target.Arn,
          },
        },
        { cause },
      );
    } catch (err) {
      this.deps.trace.record({
        kind: 'scheduler.error',
        cause,
        schedule: s.name,
        group: s.group,
        target: dlq,
        error: `The dead-letter event could not be sent to ${dlq}: ${(err as Error).message}`,
      });
    }
  }

  /** A deterministic offset within the flexible window: same seed, schedule and time, same offset. */
  private flexibleOffset(s: Schedule, scheduledTime: number): number {
    const window = s.input.FlexibleTimeWindow;
    if (window.Mode !== 'FLEXIBLE' || !window.MaximumWindowInMinutes) return 0;
    const hash = createHash('sha256')
      .update(`${this.deps.seed ?? 0}|${s.arn}|${scheduledTime}`)
      .digest();
    const fraction = hash.readUInt32BE(0) / 0x1_0000_0000;
    // Whole seconds, as AWS's invocation times are.
    return Math.floor(fraction * window.MaximumWindowInMinutes * 60) * 1000;
  }

  // ---- settings and views ----------------------------------------------------------------

  private settings(
    input: ScheduleInput,
    now: number,
  ): Pick<Schedule, 'input' | 'expression' | 'kind' | 'start' | 'end' | 'anchor' | 'modified'> {
    if (!input.ScheduleExpression)
      throw new AwsError(
        'ValidationException',
        "1 validation error detected: Value null at 'scheduleExpression' failed to satisfy constraint: Member must not be null",
      );
    validateFlexibleTimeWindow(input.FlexibleTimeWindow);
    if (input.State !== undefined && input.State !== 'ENABLED' && input.State !== 'DISABLED') {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '${input.State}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`,
      );
    }
    if (
      input.ActionAfterCompletion !== undefined &&
      input.ActionAfterCompletion !== 'NONE' &&
      input.ActionAfterCompletion !== 'DELETE'
    ) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '${input.ActionAfterCompletion}' at 'actionAfterCompletion' failed to satisfy constraint: Member must satisfy enum value set: [NONE, DELETE]`,
      );
    }
    const expression = parseScheduleExpression(
      input.ScheduleExpression,
      input.ScheduleExpressionTimezone ?? DEFAULT_TIME_ZONE,
    );
    const kind = validateTarget(input.Target);
    const start = epochMs(input.StartDate, 'StartDate');
    const end = epochMs(input.EndDate, 'EndDate');
    if (start !== undefined && end !== undefined && end <= start)
      throw new AwsError('ValidationException', 'The StartDate must come before the EndDate.');
    return {
      input: structuredClone(input),
      expression,
      kind,
      start,
      end,
      anchor: start ?? now,
      modified: now,
    };
  }

  private window(s: Schedule): Omit<FiringWindow, 'after'> {
    return { anchor: s.anchor, start: s.start, end: s.end };
  }

  private view(s: Schedule): ScheduleView {
    const i = s.input;
    return {
      Arn: s.arn,
      Name: s.name,
      GroupName: s.group,
      ScheduleExpression: i.ScheduleExpression,
      ScheduleExpressionTimezone: i.ScheduleExpressionTimezone,
      StartDate: s.start === undefined ? undefined : new Date(s.start),
      EndDate: s.end === undefined ? undefined : new Date(s.end),
      Description: i.Description,
      State: state(s),
      KmsKeyArn: i.KmsKeyArn,
      FlexibleTimeWindow: i.FlexibleTimeWindow,
      Target: i.Target,
      ActionAfterCompletion: i.ActionAfterCompletion === 'DELETE' ? 'DELETE' : 'NONE',
      CreationDate: new Date(s.created),
      LastModificationDate: new Date(s.modified),
    };
  }

  private putGroup(name: string): Group {
    const now = this.deps.clock.now();
    const group = { name, arn: this.groupArn(name), created: now, modified: now };
    this.groups.set(name, group);
    return group;
  }

  private group(name: string): Group {
    const group = this.groups.get(name);
    if (!group)
      throw new AwsError('ResourceNotFoundException', `Schedule group ${name} does not exist.`, 404);
    return group;
  }

  private schedule(name: string, groupName?: string): Schedule {
    const group = this.group(groupName ?? DEFAULT_GROUP);
    const s = this.schedules.get(`${group.name}/${name}`);
    if (!s) throw new AwsError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
    return s;
  }

  private remove(s: Schedule): void {
    this.disarm(s);
    this.schedules.delete(`${s.group}/${s.name}`);
  }

  // Tags are kept on schedule groups only: AWS tags groups, not schedules.
  private taggable(arn: string): void {
    if (![...this.groups.values()].some((g) => g.arn === arn)) {
      throw new AwsError(
        'ResourceNotFoundException',
        `Schedule group ${arn.split('/').pop()} does not exist.`,
        404,
      );
    }
  }
}

const ACTION: Record<TargetKind, string> = {
  lambda: 'lambda:InvokeFunction',
  states: 'states:StartExecution',
  events: 'events:PutEvents',
  sqs: 'sqs:SendMessage',
};

function state(s: Schedule): 'ENABLED' | 'DISABLED' {
  return s.input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED';
}

function groupView(g: Group): GroupView {
  return {
    Arn: g.arn,
    Name: g.name,
    State: 'ACTIVE',
    CreationDate: new Date(g.created),
    LastModificationDate: new Date(g.modified),
  };
}

function checkName(name: string | undefined, field: string): void {
  if (!name || !NAME.test(name)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${name}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z-_.]+$ and have length between 1 and 64`,
    );
  }
}

function validateFlexibleTimeWindow(w: ScheduleInput['FlexibleTimeWindow'] | undefined): void {
  if (!w)
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'flexibleTimeWindow' failed to satisfy constraint: Member must not be null",
    );
  if (w.Mode !== 'OFF' && w.Mode !== 'FLEXIBLE') {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${w.Mode}' at 'flexibleTimeWindow.mode' failed to satisfy constraint: Member must satisfy enum value set: [OFF, FLEXIBLE]`,
    );
  }
  if (w.Mode === 'FLEXIBLE' && w.MaximumWindowInMinutes === undefined)
    throw new AwsError('ValidationException', 'MaximumWindowInMinutes is required when Mode is FLEXIBLE.');
  if (w.Mode === 'OFF' && w.MaximumWindowInMinutes !== undefined)
    throw new AwsError('ValidationException', 'MaximumWindowInMinutes must not be set when Mode is OFF.');
  if (
    w.MaximumWindowInMinutes !== undefined &&
    !(
      Number.isInteger(w.MaximumWindowInMinutes) &&
      w.MaximumWindowInMinutes >= 1 &&
      w.MaximumWindowInMinutes <= 1440
    )
  ) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${w.MaximumWindowInMinutes}' at 'flexibleTimeWindow.maximumWindowInMinutes' failed to satisfy constraint: Member must have value between 1 and 1440`,
    );
  }
}

function epochMs(value: Date | number | string | undefined, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  // The wire form is epoch seconds (REST-JSON); CloudFormation gives ISO 8601 text.
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'number' ? value * 1000 : Date.parse(value);
  if (Number.isNaN(ms))
    throw new AwsError(
      'ValidationException',
      `${field} is not a valid date: ${String(value)}. Use ISO 8601, e.g. 2026-11-21T10:00:00Z.`,
    );
  return ms;
}
