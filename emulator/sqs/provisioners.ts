/**
 * AWS::SQS::Queue and AWS::SQS::QueuePolicy from a template, as CloudFormation makes them
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html):
 * Ref is the queue URL; Fn::GetAtt gives Arn, QueueName and QueueUrl. A new QueueName or
 * FifoQueue replaces the queue; every other property changes in place (SetQueueAttributes),
 * a property left out going back to SQS's default; the messages stay. A generated name for a
 * FIFO queue ends in `.fifo`, as CloudFormation's does.
 */
import { changed, customNameReplacement, resourceError, type ResourceProvider } from '../stack/provider.ts';
import { defaultSettings, settingsAsAttributes } from './attributes.ts';
import type { SqsService } from './service.ts';

const QUEUE = 'AWS::SQS::Queue';
const POLICY = 'AWS::SQS::QueuePolicy';

const ATTRIBUTES = [
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'DelaySeconds',
  'FifoThroughputLimit',
  'KmsDataKeyReusePeriodSeconds',
  'KmsMasterKeyId',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'RedriveAllowPolicy',
  'RedrivePolicy',
  'SqsManagedSseEnabled',
  'VisibilityTimeout',
] as const;

export function sqsProviders(deps: { sqs: SqsService }): Record<string, ResourceProvider> {
  const { sqs } = deps;
  const attributesOf = (url: string) => {
    const s = sqs.settingsOf(url);
    return { Arn: s.arn, QueueName: s.name, QueueUrl: url };
  };
  return {
    [QUEUE]: {
      create(logicalId, p, ctx) {
        const fifo = String(p.FifoQueue) === 'true';
        const name =
          p.QueueName ??
          (fifo ? `${ctx.generatedName(logicalId, 75)}.fifo` : ctx.generatedName(logicalId, 80));
        try {
          const url = sqs.createQueue(
            name,
            { ...queueAttributes(p), ...(fifo ? { FifoQueue: 'true' } : {}) },
            tagsOf(p),
          );
          return { ref: url, attributes: attributesOf(url) };
        } catch (err) {
          throw resourceError(logicalId, QUEUE, err);
        }
      },
      update(logicalId, p, previous) {
        const before = previous.properties;
        if (
          changed(p.QueueName, before.QueueName) ||
          String(p.FifoQueue ?? false) !== String(before.FifoQueue ?? false)
        ) {
          if (p.QueueName !== undefined && p.QueueName === before.QueueName)
            throw customNameReplacement(logicalId, QUEUE, p.QueueName);
          return 'replace';
        }
        const url = previous.physicalId;
        try {
          const fifo = String(p.FifoQueue) === 'true';
          // What the template leaves out goes back to the default, as CloudFormation resets it.
          const defaults = settingsAsAttributes(defaultSettings(), fifo);
          const reset = Object.fromEntries(
            ATTRIBUTES.filter((k) => before[k] !== undefined && p[k] === undefined).map((k) => [
              k,
              defaults[k] ?? '',
            ]),
          );
          sqs.setQueueAttributes(url, { ...reset, ...queueAttributes(p) });
          if (changed(p.Tags, before.Tags)) {
            sqs.untagQueue(url, Object.keys(sqs.listQueueTags(url)));
            sqs.tagQueue(url, tagsOf(p));
          }
        } catch (err) {
          throw resourceError(logicalId, QUEUE, err);
        }
        return { ref: url, attributes: attributesOf(url) };
      },
      delete(resource) {
        if (sqs.listQueues().includes(resource.physicalId)) sqs.deleteQueue(resource.physicalId);
      },
    },

    [POLICY]: {
      create(logicalId, p, ctx) {
        applyPolicy(sqs, logicalId, p);
        return { ref: ctx.generatedName(logicalId, 128), attributes: {} };
      },
      update(logicalId, p, previous) {
        for (const url of queuesOf(previous.properties))
          if (!queuesOf(p).includes(url)) clearPolicy(sqs, url);
        applyPolicy(sqs, logicalId, p);
        return { ref: previous.physicalId, attributes: {} };
      },
      delete(resource) {
        for (const url of queuesOf(resource.properties)) clearPolicy(sqs, url);
      },
    },
  };
}

/** The template's properties as SQS attributes (strings; policies as JSON). */
function queueAttributes(p: Record<string, any>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ATTRIBUTES) {
    const v = p[k];
    if (v === undefined) continue;
    out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

function tagsOf(p: Record<string, any>): Record<string, string> {
  return Object.fromEntries(
    ((p.Tags ?? []) as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]),
  );
}

function queuesOf(p: Record<string, any>): string[] {
  return Array.isArray(p.Queues) ? p.Queues.map(String) : [];
}

function applyPolicy(sqs: SqsService, logicalId: string, p: Record<string, any>): void {
  try {
    for (const url of queuesOf(p))
      sqs.setQueueAttributes(url, { Policy: JSON.stringify(p.PolicyDocument ?? {}) });
  } catch (err) {
    throw resourceError(logicalId, POLICY, err);
  }
}

function clearPolicy(sqs: SqsService, url: string): void {
  if (sqs.listQueues().includes(url)) sqs.setQueueAttributes(url, { Policy: '' });
}
