/**
 * A queue's settable attributes, with SQS's defaults and ranges
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html).
 * Values travel as strings; a bad one is InvalidAttributeValue, an unknown name
 * InvalidAttributeName, in SQS's words.
 */
import { invalidParameter, sqsError } from './errors.ts';

export interface QueueSettings {
  DelaySeconds: number;
  MaximumMessageSize: number;
  MessageRetentionPeriod: number;
  ReceiveMessageWaitTimeSeconds: number;
  VisibilityTimeout: number;
  Policy?: string;
  RedrivePolicy?: { deadLetterTargetArn: string; maxReceiveCount: number };
  RedriveAllowPolicy?: string;
  ContentBasedDeduplication: boolean;
  KmsMasterKeyId?: string;
  KmsDataKeyReusePeriodSeconds?: number;
  SqsManagedSseEnabled: boolean;
  DeduplicationScope?: string;
  FifoThroughputLimit?: string;
}

/** SQS's defaults. MaximumMessageSize is 1 MiB since August 2025 (it was 256 KiB). */
export function defaultSettings(): QueueSettings {
  return {
    DelaySeconds: 0,
    MaximumMessageSize: 1_048_576,
    MessageRetentionPeriod: 345_600,
    ReceiveMessageWaitTimeSeconds: 0,
    VisibilityTimeout: 30,
    ContentBasedDeduplication: false,
    SqsManagedSseEnabled: true,
  };
}

const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

const FIFO_ONLY = new Set(['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);
const OTHERS = new Set([
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'SqsManagedSseEnabled',
]);

export const READ_ONLY = new Set([
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
]);

const invalidValue = (name: string) =>
  sqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);

/**
 * Applies `attributes` to `settings` (a copy is returned); `fifo` says whether the queue is
 * FIFO; `dlqType` tells whether an ARN names an existing queue and of what kind.
 */
export function applyAttributes(
  settings: QueueSettings,
  attributes: Record<string, unknown>,
  fifo: boolean,
  dlqType: (arn: string) => 'fifo' | 'standard' | undefined,
): QueueSettings {
  const out: QueueSettings = { ...settings };
  for (const [name, raw] of Object.entries(attributes)) {
    if (name === 'FifoQueue') continue;
    const value = String(raw);
    if (name in RANGES) {
      const [min, max] = RANGES[name];
      const n = Number(value);
      if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw invalidValue(name);
      (out as unknown as Record<string, number>)[name] = n;
    } else if (FIFO_ONLY.has(name)) {
      if (!fifo)
        throw sqsError(
          'InvalidAttributeName',
          `You can specify the ${name} only when FifoQueue is set to true.`,
        );
      if (name === 'ContentBasedDeduplication') out.ContentBasedDeduplication = bool(name, value);
      else if (name === 'DeduplicationScope')
        out.DeduplicationScope = oneOf(name, value, ['messageGroup', 'queue']);
      else out.FifoThroughputLimit = oneOf(name, value, ['perQueue', 'perMessageGroupId']);
    } else if (OTHERS.has(name)) {
      if (name === 'RedrivePolicy')
        out.RedrivePolicy = value === '' ? undefined : redrivePolicy(value, fifo, dlqType);
      else if (name === 'SqsManagedSseEnabled') out.SqsManagedSseEnabled = bool(name, value);
      else if (name === 'Policy') out.Policy = value === '' ? undefined : json(name, value);
      else if (name === 'RedriveAllowPolicy')
        out.RedriveAllowPolicy = value === '' ? undefined : json(name, value);
      else out.KmsMasterKeyId = value === '' ? undefined : value;
    } else {
      throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
  }
  return out;
}

/** The attributes as GetQueueAttributes writes them (strings). */
export function settingsAsAttributes(s: QueueSettings, fifo: boolean): Record<string, string> {
  const out: Record<string, string> = {
    DelaySeconds: String(s.DelaySeconds),
    MaximumMessageSize: String(s.MaximumMessageSize),
    MessageRetentionPeriod: String(s.MessageRetentionPeriod),
    ReceiveMessageWaitTimeSeconds: String(s.ReceiveMessageWaitTimeSeconds),
    VisibilityTimeout: String(s.VisibilityTimeout),
    SqsManagedSseEnabled: String(s.SqsManagedSseEnabled),
  };
  if (s.Policy) out.Policy = s.Policy;
  if (s.RedrivePolicy) out.RedrivePolicy = JSON.stringify(s.RedrivePolicy);
  if (s.RedriveAllowPolicy) out.RedriveAllowPolicy = s.RedriveAllowPolicy;
  if (s.KmsMasterKeyId) out.KmsMasterKeyId = s.KmsMasterKeyId;
  if (s.KmsDataKeyReusePeriodSeconds !== undefined)
    out.KmsDataKeyReusePeriodSeconds = String(s.KmsDataKeyReusePeriodSeconds);
  if (fifo) {
    out.FifoQueue = 'true';
    out.ContentBasedDeduplication = String(s.ContentBasedDeduplication);
    out.DeduplicationScope = s.DeduplicationScope ?? 'queue';
    out.FifoThroughputLimit = s.FifoThroughputLimit ?? 'perQueue';
  }
  return out;
}

function bool(name: string, value: string): boolean {
  if (value !== 'true' && value !== 'false') throw invalidValue(name);
  return value === 'true';
}

function oneOf(name: string, value: string, allowed: string[]): string {
  if (!allowed.includes(value)) throw invalidValue(name);
  return value;
}

function json(name: string, value: string): string {
  try {
    JSON.parse(value);
  } catch {
    throw invalidValue(name);
  }
  return value;
}

function redrivePolicy(
  value: string,
  fifo: boolean,
  dlqType: (arn: string) => 'fifo' | 'standard' | undefined,
): QueueSettings['RedrivePolicy'] {
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw invalidParameter('RedrivePolicy', value, 'Redrive policy is not a valid JSON map.');
  }
  const count = Number(p.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    throw invalidParameter(
      'RedrivePolicy',
      value,
      `Invalid value for maxReceiveCount: ${String(p.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`,
    );
  const arn = typeof p.deadLetterTargetArn === 'string' ? p.deadLetterTargetArn : undefined;
  const type = arn ? dlqType(arn) : undefined;
  if (!arn || !type) throw invalidParameter('RedrivePolicy', value, 'Dead letter target does not exist.');
  if ((type === 'fifo') !== fifo)
    throw invalidParameter(
      'RedrivePolicy',
      value,
      'Dead-letter queue must be same type of queue as the source.',
    );
  return { deadLetterTargetArn: arn, maxReceiveCount: count };
}
