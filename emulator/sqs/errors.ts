/**
 * SQS's errors as its JSON protocol sends them. SQS is "query compatible": besides `__type`
 * (`com.amazonaws.sqs#QueueDoesNotExist`), each error carries its old Query-protocol code in
 * the `x-amzn-query-error` header (`AWS.SimpleQueueService.NonExistentQueue;Sender`), which is
 * what @aws-sdk/client-sqs matches its exception classes on and what the AWS CLI prints.
 * Codes and statuses are those of the SQS API model (the `awsQueryError` trait of each error).
 */
import { AwsError } from '../core/errors.ts';

interface Wire {
  /** The Query-protocol code (x-amzn-query-error). */
  query: string;
  status: number;
  /** The JSON `__type`. */
  type: string;
}

const modeled = (name: string, query: string, status = 400): [string, Wire] => [
  name,
  { query, status, type: `com.amazonaws.sqs#${name}` },
];

// Not in the model, but sent by SQS for bad parameters (recorded: InvalidParameterValue for a
// message over the size limit, with this __type).
const coral = (name: string): [string, Wire] => [
  name,
  { query: name, status: 400, type: `com.amazon.coral.service#${name}Exception` },
];

const WIRE = new Map<string, Wire>([
  modeled('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'),
  modeled('QueueNameExists', 'QueueAlreadyExists'),
  modeled('PurgeQueueInProgress', 'AWS.SimpleQueueService.PurgeQueueInProgress', 403),
  modeled('MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight'),
  modeled('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404),
  modeled('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest'),
  modeled('TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest'),
  modeled('BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct'),
  modeled('InvalidBatchEntryId', 'AWS.SimpleQueueService.InvalidBatchEntryId'),
  modeled('BatchRequestTooLong', 'AWS.SimpleQueueService.BatchRequestTooLong'),
  modeled('UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation'),
  modeled('InvalidAttributeName', 'InvalidAttributeName'),
  modeled('InvalidAttributeValue', 'InvalidAttributeValue'),
  modeled('InvalidMessageContents', 'InvalidMessageContents'),
  modeled('InvalidAddress', 'InvalidAddress', 404),
  coral('InvalidParameterValue'),
  coral('MissingParameter'),
]);

export function sqsError(code: string, message: string): AwsError {
  return new AwsError(code, message, WIRE.get(code)?.status ?? 400);
}

/** How an error goes on the wire: status, `__type` and the query-compatible code. */
export function wireError(err: AwsError): { status: number; type: string; queryError: string } {
  const wire = WIRE.get(err.code);
  if (!wire) return { status: err.status, type: err.code, queryError: `${err.code};Sender` };
  const fault = wire.status >= 500 ? 'Receiver' : 'Sender';
  return { status: wire.status, type: wire.type, queryError: `${wire.query};${fault}` };
}

export const invalidParameter = (name: string, value: unknown, reason: string) =>
  sqsError(
    'InvalidParameterValue',
    `Value ${typeof value === 'string' ? value : JSON.stringify(value)} for parameter ${name} is invalid. Reason: ${reason}`,
  );

export const missingParameter = (name: string) =>
  sqsError('MissingParameter', `The request must contain the parameter ${name}.`);

export const noSuchQueue = () => sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
