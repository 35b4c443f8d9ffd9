import { describe, expect, it } from 'vitest';
import { AwsError } from '../core/errors.ts';
import type { PutEventsRequestEntry } from './envelope.ts';
import { entrySize, validateEntry, validatePutEventsRequest } from './put-events.ts';

const good: PutEventsRequestEntry = {
  Source: 'dojo.game',
  DetailType: 'Virus Created',
  Detail: '{"id":"v1"}',
};

describe('validateEntry', () => {
  it('accepts an entry with a source, a detail type and a JSON object as detail', () => {
    expect(validateEntry(good)).toBeUndefined();
    expect(validateEntry({ ...good, Detail: '{}' })).toBeUndefined();
  });

  it('reports a missing or empty Source, DetailType or Detail as InvalidArgument', () => {
    expect(validateEntry({ DetailType: 'd', Detail: '{}' })).toEqual({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
    });
    expect(validateEntry({ Source: 's', DetailType: '', Detail: '{}' })).toEqual({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
    });
    expect(validateEntry({ Source: 's', DetailType: 'd' })).toEqual({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
    });
  });

  it('reports a Detail that is not a JSON object as MalformedDetail', () => {
    for (const detail of ['NotJSON', '[]', '{{}', '"NotJSON"', 'null', '42']) {
      expect(validateEntry({ ...good, Detail: detail })).toEqual({
        ErrorCode: 'MalformedDetail',
        ErrorMessage: 'Detail is malformed.',
      });
    }
  });

  it('refuses sources reserved to AWS services', () => {
    expect(validateEntry({ ...good, Source: 'aws.events' })).toEqual({
      ErrorCode: 'NotAuthorizedForSourceException',
      ErrorMessage: 'Not authorized for the source.',
    });
    expect(validateEntry({ ...good, Source: 'aws-dojo.game' })).toBeUndefined();
  });
});

describe('validatePutEventsRequest', () => {
  function refusal(entries: PutEventsRequestEntry[] | undefined): AwsError {
    try {
      validatePutEventsRequest(entries);
    } catch (error) {
      expect(error).toBeInstanceOf(AwsError);
      return error as AwsError;
    }
    throw new Error('accepted');
  }

  it('accepts one to ten entries', () => {
    expect(() => validatePutEventsRequest([good])).not.toThrow();
    expect(() => validatePutEventsRequest(Array(10).fill(good))).not.toThrow();
  });

  it('refuses more than ten entries, quoting them as AWS does', () => {
    const entry = {
      Source: 'core.update-account-command',
      DetailType: 'core.update-account-command',
      Detail: '{"command": "update-account"}',
      EventBusName: 'bus',
    };
    const error = refusal(Array(11).fill(entry));
    const quoted =
      'PutEventsRequestEntry(time=null, source=core.update-account-command, resources=null, detailType=core.update-account-command, ' +
      'detail={"command": "update-account"}, eventBusName=bus, traceHeader=null, kmsKeyIdentifier=null, internalMetadata=null)';
    expect(error).toMatchObject({ code: 'ValidationException', status: 400 });
    expect(error.message).toBe(
      `1 validation error detected: Value '[${Array(11).fill(quoted).join(', ')}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10`,
    );
  });

  it('refuses an empty or missing list of entries', () => {
    expect(refusal([]).message).toBe(
      "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect(refusal(undefined).message).toBe(
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  });

  it('refuses entries over 256 KB in total', () => {
    const big = { ...good, Detail: JSON.stringify({ payload: ['p'.repeat(256 * 1024 - 17)] }) };
    expect(refusal([big])).toMatchObject({
      code: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
    const half = { ...good, Detail: JSON.stringify({ payload: 'p'.repeat(130 * 1024) }) };
    expect(() => validatePutEventsRequest([half])).not.toThrow();
    expect(refusal([half, half]).message).toBe('Total size of the entries in the request is over the limit.');
  });
});

describe('entrySize', () => {
  it('counts UTF-8 bytes of Source, DetailType, Detail and resources, and 14 for a Time', () => {
    expect(entrySize({ Source: 'é', DetailType: 'ab', Detail: '{}', Resources: ['r1', 'r2'], Time: 0 })).toBe(
      14 + 2 + 2 + 2 + 4,
    );
  });
});
