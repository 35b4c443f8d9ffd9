/**
 * The targets a schedule may invoke in the local cloud, and the request each firing makes.
 *
 * Four templated targets, as on AWS (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html):
 * - a Lambda function (`arn:aws:lambda:…:function:name`): invoked asynchronously, with the
 *   target's `Input` as the event;
 * - a Step Functions state machine (`arn:aws:states:…:stateMachine:name`): StartExecution with
 *   `Input` as the execution input;
 * - an EventBridge bus (`arn:aws:events:…:event-bus/name`): PutEvents of one entry, its Source
 *   and DetailType from `EventBridgeParameters` (required), its Detail the `Input` (`{}` without one).
 * - an SQS queue (`arn:aws:sqs:…:name`): SendMessage with `Input` as the body; a FIFO queue
 *   needs `SqsParameters.MessageGroupId`.
 * Without an `Input`, "EventBridge Scheduler delivers a default notification to the target"
 * (API reference, Target): an envelope like a scheduled rule's, from `aws.scheduler`, whose
 * `detail` is the *string* "{}" (as functions receive it: cloud-custodian#9566,
 * aws-lambda-java-libs#479, powertools-lambda-python#6112).
 * `Input` may name the firing with AWS's context attributes, replaced at each firing:
 * <aws.scheduler.schedule-arn>, <aws.scheduler.scheduled-time>, <aws.scheduler.execution-id>,
 * <aws.scheduler.attempt-number> (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html).
 *
 * Every other target (SNS, ECS, Kinesis, SageMaker, and the universal targets
 * `arn:aws:scheduler:::aws-sdk:service:action`) is refused when the schedule is created, with
 * a message that says what the local cloud can deliver to.
 */
import { AwsError } from '../core/errors.ts';
import { eventTime } from '../events/envelope.ts';

export interface ScheduleTarget {
  Arn: string;
  RoleArn: string;
  Input?: string;
  RetryPolicy?: { MaximumEventAgeInSeconds?: number; MaximumRetryAttempts?: number };
  DeadLetterConfig?: { Arn?: string };
  EventBridgeParameters?: { DetailType: string; Source: string };
  SqsParameters?: { MessageGroupId?: string };
  [other: string]: unknown;
}

export type TargetKind = 'lambda' | 'states' | 'events' | 'sqs';

export interface FiringContext {
  scheduleArn: string;
  /** The scheduled time of this firing (epoch ms), before any flexible window. */
  scheduledTime: number;
  executionId: string;
  attempt: number;
}

/** What kind of target the ARN names; throws the local cloud's refusal for the others. */
export function targetKind(target: ScheduleTarget): TargetKind {
  const arn = String(target.Arn ?? '');
  if (/^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/.test(arn)) return 'lambda';
  if (/^arn:aws[a-z-]*:states:[^:]+:\d{12}:stateMachine:[^:]+$/.test(arn)) return 'states';
  if (/^arn:aws[a-z-]*:events:[^:]+:\d{12}:event-bus\/[^/]+$/.test(arn)) return 'events';
  if (/^arn:aws[a-z-]*:sqs:[^:]+:\d{12}:[A-Za-z0-9_.-]+$/.test(arn)) return 'sqs';
  const universal = /^arn:aws[a-z-]*:scheduler:::aws-sdk:([^:]+):([^:]+)$/.exec(arn);
  const what = universal ? `the universal target ${universal[1]}:${universal[2]}` : `the target ${arn}`;
  throw new AwsError(
    'ValidationException',
    `The local cloud's EventBridge Scheduler cannot invoke ${what}: it invokes Lambda functions, Step Functions state machines, EventBridge event buses and SQS queues, given by their ARN (templated targets). Use one of those, or run against AWS (--aws).`,
  );
}

/** Checks a target as CreateSchedule and UpdateSchedule do; returns its kind. */
export function validateTarget(target: ScheduleTarget | undefined): TargetKind {
  if (!target || typeof target !== 'object')
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'target' failed to satisfy constraint: Member must not be null",
    );
  if (!target.RoleArn)
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'target.roleArn' failed to satisfy constraint: Member must not be null",
    );
  const kind = targetKind(target);
  if (
    kind === 'events' &&
    !(target.EventBridgeParameters?.Source && target.EventBridgeParameters?.DetailType)
  ) {
    throw new AwsError(
      'ValidationException',
      'EventBridgeParameters with Source and DetailType are required for an EventBridge PutEvents target.',
    );
  }
  const retry = target.RetryPolicy;
  if (
    retry?.MaximumRetryAttempts !== undefined &&
    !(retry.MaximumRetryAttempts >= 0 && retry.MaximumRetryAttempts <= 185)
  ) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${retry.MaximumRetryAttempts}' at 'target.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value between 0 and 185`,
    );
  }
  if (
    retry?.MaximumEventAgeInSeconds !== undefined &&
    !(retry.MaximumEventAgeInSeconds >= 60 && retry.MaximumEventAgeInSeconds <= 86400)
  ) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${retry.MaximumEventAgeInSeconds}' at 'target.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value between 60 and 86400`,
    );
  }
  const dlq = target.DeadLetterConfig?.Arn;
  if (dlq !== undefined && !/^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9_-]+$/.test(dlq)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${dlq}' at 'target.deadLetterConfig.arn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws(-[a-z]+)?:sqs:[a-z0-9\\-]+:\\d{12}:[a-zA-Z0-9\\-_]+ (a standard SQS queue: EventBridge Scheduler does not support FIFO dead-letter queues)`,
    );
  }
  return kind;
}

/** The target's Input for one firing, context attributes replaced; the default notification when there is none. */
export function firingInput(target: ScheduleTarget, kind: TargetKind, ctx: FiringContext): string {
  if (target.Input === undefined) return kind === 'events' ? '{}' : JSON.stringify(defaultNotification(ctx));
  const values: Record<string, string> = {
    'schedule-arn': ctx.scheduleArn,
    // ISO 8601 to the second, as AWS writes event times.
    'scheduled-time': eventTime(ctx.scheduledTime),
    'execution-id': ctx.executionId,
    'attempt-number': String(ctx.attempt),
  };
  return target.Input.replace(/<aws\.scheduler\.([a-z-]+)>/g, (whole, name: string) => values[name] ?? whole);
}

/** What a Lambda function or a state machine receives from a schedule without an Input. */
export function defaultNotification(ctx: FiringContext) {
  const [, , , region, account] = ctx.scheduleArn.split(':');
  return {
    version: '0',
    id: ctx.executionId,
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account,
    time: eventTime(ctx.scheduledTime),
    region,
    resources: [ctx.scheduleArn],
    detail: '{}',
  };
}
