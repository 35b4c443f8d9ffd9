/**
 * PutEvents validation, in AWS's words.
 *
 * The request as a whole (`validatePutEventsRequest`) fails with a ValidationException when
 * it has no entries or more than 10, or when the entries together exceed 256 KB (measured as
 * AWS documents: UTF-8 bytes of Source, DetailType, Detail and each resource, 14 bytes for a
 * Time). Each entry (`validateEntry`) may fail on its own; AWS then still answers 200, with
 * this entry's ErrorCode and ErrorMessage in the results and FailedEntryCount counting it:
 *
 *   missing or empty Source      InvalidArgument  Parameter Source is not valid. Reason: Source is a required argument.
 *   missing or empty DetailType  InvalidArgument  Parameter DetailType is not valid. Reason: DetailType is a required argument.
 *   missing or empty Detail      InvalidArgument  Parameter Detail is not valid. Reason: Detail is a required argument.
 *   Source starting with "aws."  NotAuthorizedForSourceException  Not authorized for the source.
 *   Detail not a JSON object     MalformedDetail  Detail is malformed.
 *
 * Whether the event bus exists is the caller's business: it needs state. (AWS accepts an entry
 * for a bus that does not exist: the entry gets an EventId and the event reaches no rule.)
 */
import { AwsError } from '../core/errors.ts';
import { entryTimeMs, type PutEventsRequestEntry } from './envelope.ts';

export interface PutEventsEntryError {
  ErrorCode: string;
  ErrorMessage: string;
}

export const MAX_ENTRIES = 10;
export const MAX_REQUEST_BYTES = 256 * 1024;

export function validateEntry(entry: PutEventsRequestEntry): PutEventsEntryError | undefined {
  if (!entry.Source) return required('Source');
  if (!entry.DetailType) return required('DetailType');
  if (!entry.Detail) return required('Detail');
  // Only AWS services may send events in their own name.
  if (entry.Source.startsWith('aws.'))
    return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  if (!isJsonObject(entry.Detail))
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  return undefined;
}

export function validatePutEventsRequest(entries: readonly PutEventsRequestEntry[] | undefined): void {
  if (entries === undefined || entries === null) {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  // The JSON protocol's type check, before the model's constraints: a list, of objects.
  if (
    !Array.isArray(entries) ||
    entries.some((e) => e === null || typeof e !== 'object' || Array.isArray(e))
  ) {
    throw new AwsError(
      'SerializationException',
      'Start of structure or map found where not expected: Entries must be a list of objects.',
    );
  }
  if (entries.length < 1) {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (entries.length > MAX_ENTRIES) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '[${entries.map(javaToString).join(', ')}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
    );
  }
  if (entries.reduce((total, entry) => total + entrySize(entry), 0) > MAX_REQUEST_BYTES) {
    throw new AwsError('ValidationException', 'Total size of the entries in the request is over the limit.');
  }
}

/** The size AWS counts for an entry against the 256 KB limit. */
export function entrySize(entry: PutEventsRequestEntry): number {
  const bytes = (text: string | undefined): number =>
    text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
  const resources = (entry.Resources ?? []).reduce((total, resource) => total + bytes(resource), 0);
  return (
    (entry.Time === undefined ? 0 : 14) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    resources
  );
}

function required(parameter: string): PutEventsEntryError {
  return {
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${parameter} is a required argument.`,
  };
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

// AWS quotes the rejected list through its Java model's toString().
function javaToString(entry: PutEventsRequestEntry): string {
  const value = (v: unknown): string => (v === undefined ? 'null' : String(v));
  const ms = entry.Time === undefined ? undefined : entryTimeMs(entry.Time);
  const time =
    ms === undefined || Number.isNaN(ms)
      ? value(entry.Time)
      : new Date(ms).toISOString().replace('.000Z', 'Z');
  const resources = entry.Resources === undefined ? 'null' : `[${entry.Resources.join(', ')}]`;
  return (
    `PutEventsRequestEntry(time=${time}, source=${value(entry.Source)}, resources=${resources}, detailType=${value(entry.DetailType)}, ` +
    `detail=${value(entry.Detail)}, eventBusName=${value(entry.EventBusName)}, traceHeader=${value(entry.TraceHeader)}, kmsKeyIdentifier=null, internalMetadata=null)`
  );
}
