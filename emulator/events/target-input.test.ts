import { describe, expect, it } from 'vitest';
import { AwsError } from '../core/errors.ts';
import { parseJsonPath, readJsonPath } from './json-path.ts';
import {
  InputTransformationError,
  targetInput,
  validateTargetInput,
  type TargetInputConfig,
} from './target-input.ts';

const event = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'core.update-account-command',
  source: 'core.update-account-command',
  account: '123456789012',
  time: '2026-11-21T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: {
    command: 'update-account',
    payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' },
    listsingle: ['HIGH'],
    listmulti: ['ACTIVE', 'INACTIVE'],
    valid: true,
  },
};

const paths = {
  userId: '$.detail.payload.acc_id',
  payload: '$.detail.payload',
  systemstring: '$.detail.awsAccountId',
  listsingle: '$.detail.listsingle',
  listmulti: '$.detail.listmulti',
  valid: '$.detail.valid',
};

function transform(InputTemplate: string, InputPathsMap: Record<string, string> = paths): string {
  return targetInput({ Id: 'target-1', InputTransformer: { InputPathsMap, InputTemplate } }, event);
}

describe('targetInput without transformation', () => {
  it('sends the whole event', () => {
    expect(JSON.parse(targetInput({}, event))).toEqual(event);
  });

  it('sends a constant Input as given', () => {
    expect(targetInput({ Input: '{"level": 3}' }, event)).toBe('{"level": 3}');
  });
});

describe('targetInput with InputPath', () => {
  it('sends the part of the event the path selects, as JSON', () => {
    expect(JSON.parse(targetInput({ InputPath: '$.detail' }, event))).toEqual(event.detail);
    expect(JSON.parse(targetInput({ InputPath: '$.detail.payload' }, event))).toEqual({
      acc_id: '0a787ecb-4015',
      sf_id: 'baz',
    });
    expect(targetInput({ InputPath: '$.detail.payload.sf_id' }, event)).toBe('"baz"');
    expect(targetInput({ InputPath: '$' }, event)).toBe(JSON.stringify(event));
  });

  it('refuses a path EventBridge does not accept', () => {
    expect(() => targetInput({ Id: 'target-1', InputPath: 'detail' }, event)).toThrow(
      new AwsError('ValidationException', 'InputPath for target target-1 is invalid.'),
    );
  });
});

describe('targetInput with InputTransformer: a string template', () => {
  it('puts string values in bare', () => {
    const paths = { 'detail-type': '$.detail-type', timestamp: '$.time', command: '$.detail.command' };
    expect(
      transform(
        '"Event of <detail-type> type, at time <timestamp>, info extracted from detail <command>"',
        paths,
      ),
    ).toBe(
      '"Event of core.update-account-command type, at time 2026-11-21T10:00:00Z, info extracted from detail update-account"',
    );
    expect(
      transform('"{[/Check with special starting characters for event of <detail-type> type"', paths),
    ).toBe('"{[/Check with special starting characters for event of core.update-account-command type"');
  });

  it('leaves nothing where a path reaches nothing', () => {
    expect(transform('"Detail <missing>."', { missing: '$.detail.notinmessage' })).toBe('"Detail ."');
  });

  it('writes objects and arrays as JSON without double quotes, booleans as words', () => {
    expect(transform('"Payload of <payload> with path users-service/users/<userId> and <userId>"')).toBe(
      '"Payload of {acc_id:0a787ecb-4015,sf_id:baz} with path users-service/users/0a787ecb-4015 and 0a787ecb-4015"',
    );
    expect(
      transform(
        '"<listsingle> single list item <listmulti> multiple list items <systemstring> system account id"',
      ),
    ).toBe('"[HIGH] single list item [ACTIVE,INACTIVE] multiple list items  system account id"');
    expect(transform('"Command is <valid>!"')).toBe('"Command is true!"');
  });

  it('accepts several lines of text, and text without quotes', () => {
    expect(transform('"<userId> user id"\n"<listsingle> single list item"')).toBe(
      '"0a787ecb-4015 user id"\n"[HIGH] single list item"',
    );
    expect(transform('<userId> is in state <valid>')).toBe('0a787ecb-4015 is in state true');
  });
});

describe('targetInput with InputTransformer: a JSON template', () => {
  it('writes values outside quotes as JSON', () => {
    const output = transform(
      '{"method": "PUT", "path": "users-service/users/<userId>", "id": <userId>, "body": <payload>}',
    );
    expect(JSON.parse(output)).toEqual({
      method: 'PUT',
      path: 'users-service/users/0a787ecb-4015',
      id: '0a787ecb-4015',
      body: { acc_id: '0a787ecb-4015', sf_id: 'baz' },
    });
    expect(JSON.parse(transform('{"singlelistitem": <listsingle>, "flag": <valid>}'))).toEqual({
      singlelistitem: ['HIGH'],
      flag: true,
    });
    expect(JSON.parse(transform('{"bod": [<userId>, "hardcoded"]}'))).toEqual({
      bod: ['0a787ecb-4015', 'hardcoded'],
    });
  });

  it('puts strings in bare inside quotes, as often as they appear', () => {
    expect(JSON.parse(transform('{"id" : "<userId>"}'))).toEqual({ id: '0a787ecb-4015' });
    expect(JSON.parse(transform('{"multi_replacement": "users/<userId>/second/<userId>"}'))).toEqual({
      multi_replacement: 'users/0a787ecb-4015/second/0a787ecb-4015',
    });
    expect(
      JSON.parse(
        transform('{"nested": {"level1": {"level2": "users-service/users/<userId>"}}, "bod": "<userId>"}'),
      ),
    ).toEqual({
      nested: { level1: { level2: 'users-service/users/0a787ecb-4015' } },
      bod: '0a787ecb-4015',
    });
  });

  it('gives "" for a path that reaches nothing', () => {
    const paths = { 'detail-type': '$.detail-type', command: '$.detail.notinmessage' };
    expect(JSON.parse(transform('{"detailType": <detail-type>, "command": <command>}', paths))).toEqual({
      detailType: 'core.update-account-command',
      command: '',
    });
  });

  it('does not deliver an object or array placed inside quotes: the result is not JSON', () => {
    expect(() => transform('{"payload": "<payload>"}')).toThrow(InputTransformationError);
    expect(() => transform('{"singlelistitem": "<listsingle>"}')).toThrow(InputTransformationError);
    expect(() => transform('{"not_valid": "users-service/users/<payload>", "bod": <payload>}')).toThrow(
      InputTransformationError,
    );
  });
});

describe('targetInput with predefined variables', () => {
  const context = {
    ruleName: 'createVirus',
    ruleArn: 'arn:aws:events:eu-west-1:123456789012:rule/dojo/createVirus',
  };

  it('names the rule and the ingestion time', () => {
    const output = targetInput(
      {
        InputTransformer: {
          InputTemplate: '"<aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>"',
        },
      },
      event,
      context,
    );
    expect(output).toBe(
      '"arn:aws:events:eu-west-1:123456789012:rule/dojo/createVirus createVirus 2026-11-21T10:00:00Z"',
    );
  });

  it('gives the event without its detail, and the whole event', () => {
    const output = targetInput(
      {
        InputTransformer: {
          InputTemplate:
            '{"originalEvent": <aws.events.event>, "originalEventJson": <aws.events.event.json>}',
        },
      },
      event,
      context,
    );
    const parsed = JSON.parse(output);
    expect(parsed.originalEvent).toEqual({
      id: event.id,
      account: '123456789012',
      detailType: 'core.update-account-command',
      time: '2026-11-21T10:00:00Z',
      source: 'core.update-account-command',
      region: 'eu-west-1',
      resources: [],
      version: '0',
    });
    expect(parsed.originalEventJson).toEqual(event);
  });
});

describe('validateTargetInput: what PutTargets refuses', () => {
  function refusal(target: TargetInputConfig): string {
    try {
      validateTargetInput(target);
    } catch (error) {
      expect(error).toMatchObject({ code: 'ValidationException', status: 400 });
      return (error as AwsError).message;
    }
    throw new Error('accepted');
  }

  it('accepts each way of shaping the input', () => {
    expect(() => validateTargetInput({ Id: 't', Input: '{"a": 1}' })).not.toThrow();
    expect(() => validateTargetInput({ Id: 't', InputPath: '$.detail.items[0].id' })).not.toThrow();
    expect(() =>
      validateTargetInput({
        Id: 't',
        InputTransformer: {
          InputPathsMap: { id: '$.detail.id' },
          InputTemplate: '{"id": <id>, "rule": "<aws.events.rule-name>"}',
        },
      }),
    ).not.toThrow();
  });

  it('takes only one of Input, InputPath and InputTransformer', () => {
    expect(refusal({ Id: 't', InputPath: '$.detail', InputTransformer: { InputTemplate: '"x"' } })).toBe(
      'Only one of Input, InputPath, or InputTransformer must be provided for target t.',
    );
  });

  it('wants Input to be JSON', () => {
    expect(refusal({ Id: 't', Input: 'not json' })).toBe('Input for target t is not a valid JSON text.');
  });

  it('wants every path rooted at $ in dot notation', () => {
    expect(refusal({ Id: 't', InputPath: 'detail.id' })).toBe('InputPath for target t is invalid.');
    expect(
      refusal({
        Id: 't',
        InputTransformer: { InputPathsMap: { id: "$.detail['id']" }, InputTemplate: '<id>' },
      }),
    ).toBe('InputPath for target t is invalid.');
  });

  it('wants every placeholder defined', () => {
    const template = '"Event of <detail-type> type, with not defined key <notdefinedkey>"';
    expect(
      refusal({
        Id: 't',
        InputTransformer: { InputPathsMap: { 'detail-type': '$.detail-type' }, InputTemplate: template },
      }),
    ).toBe('InputTemplate for target t contains invalid placeholder notdefinedkey.');
  });
});

describe('the JSONPath subset', () => {
  const read = (path: string, root: unknown): unknown => readJsonPath(parseJsonPath(path)!, root);

  it('reads names, dashes, slashes, indices and wildcards', () => {
    const root = { detail: { 'instance-id': 'i-1', 'a/b': 1, items: [{ id: 'x' }, { id: 'y' }] } };
    expect(read('$.detail.instance-id', root)).toBe('i-1');
    expect(read('$.detail.a/b', root)).toBe(1);
    expect(read('$.detail.items[1].id', root)).toBe('y');
    expect(read('$.detail.items[*].id', root)).toEqual(['x', 'y']);
    expect(read('$.detail.*', { detail: { a: 1, b: 2 } })).toEqual([1, 2]);
    expect(read('$.detail.items[5]', root)).toBeUndefined();
    expect(read('$.detail.nothing.deeper', root)).toBeUndefined();
  });

  it('refuses quoted brackets, deep scans and paths not rooted at $', () => {
    for (const path of ["$.detail['id']", '$..id', 'detail', '$.', '$.detail.', '$[a]', '$.a b'])
      expect(parseJsonPath(path)).toBeUndefined();
  });
});
