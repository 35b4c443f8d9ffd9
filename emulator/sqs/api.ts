/**
 * SQS's wire API on the gateway: the AWS JSON 1.0 protocol (`X-Amz-Target: AmazonSQS.<Action>`),
 * which both @aws-sdk/client-sqs and the AWS CLI here (botocore 1.43) speak. The SDK sends each
 * call to the queue's URL (its path is /<account>/<name>), so the route matches on the target
 * alone. Errors carry SQS's query-compatible code (see errors.ts).
 *
 * A long poll (WaitTimeSeconds) must not hold the virtual clock, or the wait it asks for would
 * never pass: the route takes its own hold for the work and lets go while it waits.
 */
import { AwsError } from '../core/errors.ts';
import { send, sendError, type Gateway, type GatewayRequest } from '../gateway/server.ts';
import type { VirtualClock } from '../core/clock.ts';
import type { ApiCatalogue } from '../gateway/api-catalogue.ts';
import { missingParameter, sqsError, wireError } from './errors.ts';
import type { SendInput, SqsService } from './service.ts';

export type SqsAuthorize = (req: GatewayRequest, action: string, input: unknown) => void;

const TARGET = 'AmazonSQS.';

export const sqsApi: ApiCatalogue = {
  service: 'SQS',
  protocol: 'JSON 1.0 (X-Amz-Target AmazonSQS.*, sent to the queue URL)',
  actions: [
    'CreateQueue',
    'GetQueueUrl',
    'ListQueues',
    'DeleteQueue',
    'PurgeQueue',
    'GetQueueAttributes',
    'SetQueueAttributes',
    'TagQueue',
    'UntagQueue',
    'ListQueueTags',
    'ListDeadLetterSourceQueues',
    'SendMessage',
    'SendMessageBatch',
    'ReceiveMessage',
    'DeleteMessage',
    'DeleteMessageBatch',
    'ChangeMessageVisibility',
    'ChangeMessageVisibilityBatch',
  ],
};
const CONTENT_TYPE = 'application/x-amz-json-1.0';

export function isSqsRequest(req: GatewayRequest): boolean {
  const target = req.headers['x-amz-target'];
  return req.method === 'POST' && typeof target === 'string' && target.startsWith(TARGET);
}

export function registerSqsApi(
  gateway: Gateway,
  sqs: SqsService,
  clock: VirtualClock,
  authorize: SqsAuthorize = () => {},
): void {
  gateway.route(
    isSqsRequest,
    async (req, res) => {
      const action = String(req.headers['x-amz-target']).slice(TARGET.length);
      let release: (() => void) | undefined = clock.hold();
      try {
        const input = req.body.length ? (JSON.parse(req.body.toString('utf8')) as Record<string, any>) : {};
        authorize(req, action, input);
        const pending = handle(sqs, action, input, req);
        release();
        release = undefined;
        const output = await pending;
        send(res, 200, CONTENT_TYPE, JSON.stringify(output ?? {}));
      } catch (err) {
        release?.();
        if (!(err instanceof AwsError)) return sendError(res, err, 'json');
        const wire = wireError(err);
        send(res, wire.status, CONTENT_TYPE, JSON.stringify({ __type: wire.type, message: err.message }), {
          'x-amzn-query-error': wire.queryError,
          'x-amzn-errortype': err.code,
        });
      }
    },
    false,
  );
}

function handle(sqs: SqsService, action: string, input: Record<string, any>, req: GatewayRequest): unknown {
  const cause = req.caller?.invokeSeq;
  const sender = req.caller ? `AROA${req.caller.functionName.toUpperCase().slice(0, 17)}` : undefined;
  switch (action) {
    case 'CreateQueue':
      return { QueueUrl: sqs.createQueue(input.QueueName, input.Attributes ?? {}, input.tags ?? {}) };
    case 'GetQueueUrl':
      return { QueueUrl: sqs.getQueueUrl(input.QueueName) };
    case 'ListQueues': {
      const max = input.MaxResults;
      if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 1000))
        throw sqsError(
          'InvalidParameterValue',
          `Value ${max} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.`,
        );
      const all = sqs.listQueues(input.QueueNamePrefix);
      const from = input.NextToken ? Number(Buffer.from(String(input.NextToken), 'base64').toString()) : 0;
      if (!Number.isInteger(from) || from < 0)
        throw sqsError(
          'InvalidParameterValue',
          'Invalid NextToken value: pass the NextToken of the previous answer, unchanged.',
        );
      const urls = max === undefined ? all.slice(0, 1000) : all.slice(from, from + max);
      const next =
        max !== undefined && from + max < all.length
          ? Buffer.from(String(from + max)).toString('base64')
          : undefined;
      return { ...(urls.length ? { QueueUrls: urls } : {}), ...(next ? { NextToken: next } : {}) };
    }
    case 'DeleteQueue':
      sqs.deleteQueue(input.QueueUrl);
      return {};
    case 'PurgeQueue':
      sqs.purgeQueue(input.QueueUrl);
      return {};
    case 'GetQueueAttributes':
      return { Attributes: sqs.getQueueAttributes(input.QueueUrl, input.AttributeNames ?? []) };
    case 'SetQueueAttributes':
      if (!input.Attributes) throw missingParameter('Attributes');
      sqs.setQueueAttributes(input.QueueUrl, input.Attributes);
      return {};
    case 'TagQueue':
      sqs.tagQueue(input.QueueUrl, input.Tags ?? {});
      return {};
    case 'UntagQueue':
      sqs.untagQueue(input.QueueUrl, input.TagKeys ?? []);
      return {};
    case 'ListQueueTags':
      return { Tags: sqs.listQueueTags(input.QueueUrl) };
    case 'ListDeadLetterSourceQueues':
      return { queueUrls: sqs.listDeadLetterSourceQueues(input.QueueUrl) };
    case 'SendMessage':
      return sqs.sendMessage(input.QueueUrl, input as SendInput, { cause, sender });
    case 'SendMessageBatch':
      return batch(
        input,
        (entry) => {
          const { Id, ...message } = entry;
          return { Id, ...sqs.sendMessage(input.QueueUrl, message as SendInput, { cause, sender }) };
        },
        () => sqs.settingsOf(input.QueueUrl).MaximumMessageSize,
      );
    case 'ReceiveMessage':
      return sqs
        .receiveMessage(input.QueueUrl, input, { cause, consumer: req.caller?.functionName })
        .then((Messages) => (Messages.length ? { Messages } : {}));
    case 'DeleteMessage':
      sqs.deleteMessage(input.QueueUrl, input.ReceiptHandle, { cause });
      return {};
    case 'DeleteMessageBatch':
      return batch(input, (entry) => {
        sqs.deleteMessage(input.QueueUrl, entry.ReceiptHandle, { cause });
        return { Id: entry.Id };
      });
    case 'ChangeMessageVisibility':
      if (input.VisibilityTimeout === undefined) throw missingParameter('VisibilityTimeout');
      sqs.changeMessageVisibility(input.QueueUrl, input.ReceiptHandle, input.VisibilityTimeout);
      return {};
    case 'ChangeMessageVisibilityBatch':
      return batch(input, (entry) => {
        sqs.changeMessageVisibility(input.QueueUrl, entry.ReceiptHandle, entry.VisibilityTimeout);
        return { Id: entry.Id };
      });
    default:
      throw new AwsError(
        'UnsupportedOperation',
        `The local cloud's SQS does not support ${action}. It serves queues, messages, attributes, tags and dead-letter queues; for message move tasks and permissions, use AWS (--aws).`,
      );
  }
}

/**
 * A batch call: 1 to 10 entries with distinct ids (letters, digits, - and _, up to 80); each
 * entry succeeds or fails on its own, as SQS reports them (Successful / Failed).
 */
function batch(
  input: Record<string, any>,
  each: (entry: Record<string, any>) => Record<string, unknown>,
  maxBytes?: () => number,
): { Successful: unknown[]; Failed: unknown[] } {
  const entries: Array<Record<string, any>> = input.Entries ?? [];
  if (entries.length === 0)
    throw sqsError(
      'EmptyBatchRequest',
      'There should be at least one SendMessageBatchRequestEntry in the request.',
    );
  if (entries.length > 10)
    throw sqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
    );
  const ids = new Set<string>();
  for (const e of entries) {
    if (typeof e.Id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(e.Id))
      throw sqsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    if (ids.has(e.Id)) throw sqsError('BatchEntryIdsNotDistinct', `Id ${e.Id} repeated.`);
    ids.add(e.Id);
  }
  if (maxBytes) {
    const total = entries.reduce((n, e) => n + Buffer.byteLength(String(e.MessageBody ?? '')), 0);
    const limit = maxBytes();
    if (total > limit)
      throw sqsError(
        'BatchRequestTooLong',
        `Batch requests cannot be longer than ${limit} bytes. You have sent ${total} bytes.`,
      );
  }
  const Successful: unknown[] = [];
  const Failed: unknown[] = [];
  for (const e of entries) {
    try {
      Successful.push(each(e));
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      if (err.code === 'QueueDoesNotExist') throw err;
      Failed.push({
        Id: e.Id,
        SenderFault: true,
        Code: wireError(err).queryError.split(';')[0],
        Message: err.message,
      });
    }
  }
  return { Successful, Failed };
}
