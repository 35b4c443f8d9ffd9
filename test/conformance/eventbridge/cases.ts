/**
 * EventBridge conformance cases: each one an answer recorded on real AWS (its `source`), not a
 * reading of the API reference, which for one calls `resources` required in a TestEventPattern
 * event while AWS accepts events without it. runner.ts runs each case's steps in order against
 * the local cloud through the real @aws-sdk/client-eventbridge.
 *
 * A step's `expect` states either the answer's fields (only the fields stated are compared,
 * each one whole: a RegExp stands for a string that matches it) or `refused`: AWS refuses the
 * request with this error (only the parts stated are compared).
 */
import type { DeleteRuleRequest, PutEventsRequestEntry, PutRuleRequest } from '@aws-sdk/client-eventbridge';

/** The error AWS answers with: its name, its message (or patterns the message matches), its HTTP status. */
export type Refusal = { name?: string; message?: string; messageMatches?: RegExp[]; status?: number };

export type Call =
  /** TestEventPattern; a string is sent as it is, anything else as its JSON. */
  | { testEventPattern: { event: unknown; pattern: unknown } }
  | { putRule: PutRuleRequest }
  | { deleteRule: DeleteRuleRequest }
  | { putEvents: PutEventsRequestEntry[] };

export type Step = Call & {
  /** What this step is, when a case has several of the same call. */
  label?: string;
  expect: { answer: Record<string, unknown> } | { refused: Refusal };
  /** The local cloud's trace entry `events.put` for the event of PutEvents entry `entry` includes `includes`. */
  traced?: { entry: number; includes: Record<string, unknown> };
};

export interface ConformanceCase {
  name: string;
  source: string;
  steps: Step[];
}

const LS_PATTERNS =
  "LocalStack's AWS-validated snapshot tests for TestEventPattern, tests/aws/services/events/test_events_patterns.py and its .snapshot.json (recorded on AWS 2024-12-05), https://github.com/localstack/localstack/tree/main/tests/aws/services/events";
const LS_EVENTS =
  "LocalStack's AWS-validated snapshot tests for PutEvents and buses, tests/aws/services/events/test_events.py and test_events.snapshot.json (recorded on AWS 2024-12-06), https://github.com/localstack/localstack/tree/main/tests/aws/services/events";
const AWS_TEST_EVENT_PATTERN =
  'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html';
const AWS_DELETE_RULE = 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html';

/** The shape of the events in LocalStack's pattern tests: no `resources`, often no `detail`. */
const BASE = {
  id: '1',
  source: 'test-source',
  'detail-type': 'test-detail-type',
  account: '123456789012',
  region: 'us-east-2',
  time: '2022-07-13T13:48:01Z',
};

const ENTRY: PutEventsRequestEntry = {
  Source: 'core.update-account-command',
  DetailType: 'core.update-account-command',
  Detail: JSON.stringify({ command: 'update-account' }),
};

const NUMERIC_BODY = { body: { test2: [{ numeric: ['>', 100] }] } };
const EVENT_NOT_VALID: Refusal = {
  name: 'ValidationException',
  message: 'Parameter Event is not valid.',
  status: 400,
};
const EVENT_ID = /^[0-9a-f-]{36}$/;
const MALFORMED = { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };

const testPattern = (event: unknown, pattern: unknown) => ({ testEventPattern: { event, pattern } });
const without = (field: keyof typeof BASE) => {
  const { [field]: _left, ...event } = BASE;
  return event;
};

export const CASES: ConformanceCase[] = [
  {
    name: 'TestEventPattern accepts an event without resources or detail, and matches it',
    source: `${LS_PATTERNS} test_event_pattern_source`,
    steps: [
      {
        label: 'source in the pattern',
        ...testPattern(
          {
            ...BASE,
            source: 'order',
            'detail-type': 'Test',
            region: 'eu-west-1',
            time: '2026-11-21T10:00:00Z',
          },
          { source: ['order'], 'detail-type': ['Test'] },
        ),
        expect: { answer: { Result: true } },
      },
      {
        label: 'another source in the pattern',
        ...testPattern(
          {
            ...BASE,
            source: 'order',
            'detail-type': 'Test',
            region: 'eu-west-1',
            time: '2026-11-21T10:00:00Z',
          },
          { source: ['shipment'], 'detail-type': ['Test'] },
        ),
        expect: { answer: { Result: false } },
      },
    ],
  },
  {
    name: 'TestEventPattern matches exists:false on a path the event lacks, without resources',
    source: `${LS_PATTERNS} content_exists_false`,
    steps: [
      {
        ...testPattern(
          { ...BASE, detail: { level1: { level2: 'l2 value' } } },
          { detail: { level1: { 'level2:': { level3: { level4: [{ exists: false }] } } } } },
        ),
        expect: { answer: { Result: true } },
      },
    ],
  },
  {
    name: 'TestEventPattern matches on resources when the event has them',
    source: `${LS_PATTERNS} arrays_empty_null_NEG`,
    steps: [
      {
        ...testPattern({ ...BASE, resources: [] }, { resources: [null] }),
        expect: { answer: { Result: false } },
      },
    ],
  },
  {
    name: 'TestEventPattern refuses an empty array in the pattern, with the column',
    source: `${LS_PATTERNS} arrays_empty_EXC`,
    steps: [
      {
        ...testPattern({ ...BASE, resources: [] }, '{"resources": []}'),
        expect: {
          refused: {
            name: 'InvalidEventPatternException',
            message:
              'Event pattern is not valid. Reason: Empty arrays are not allowed\n at [Source: (String)"{"resources": []}"; line: 1, column: 17]',
            status: 400,
          },
        },
      },
    ],
  },
  {
    name: 'TestEventPattern refuses a bare value in the pattern',
    source: `${LS_PATTERNS} int_nolist_EXC, string_nolist_EXC`,
    steps: [
      {
        label: 'a number',
        ...testPattern(BASE, '{"int": 42}'),
        expect: {
          refused: {
            message:
              'Event pattern is not valid. Reason: "int" must be an object or an array\n at [Source: (String)"{"int": 42}"; line: 1, column: 11]',
          },
        },
      },
      {
        label: 'a string',
        ...testPattern(BASE, '{"string": "my-value"}'),
        expect: {
          refused: {
            message:
              'Event pattern is not valid. Reason: "string" must be an object or an array\n at [Source: (String)"{"string": "my-value"}"; line: 1, column: 13]',
          },
        },
      },
    ],
  },
  {
    name: 'TestEventPattern refuses an event that is not JSON: "Parameter Event is not valid."',
    source: `${LS_PATTERNS} test_plain_string_payload`,
    steps: [{ ...testPattern('plain string', NUMERIC_BODY), expect: { refused: EVENT_NOT_VALID } }],
  },
  {
    name: 'TestEventPattern refuses an event that is a JSON array',
    source: `${LS_PATTERNS} test_array_event_payload`,
    steps: [{ ...testPattern(['plain string'], NUMERIC_BODY), expect: { refused: EVENT_NOT_VALID } }],
  },
  {
    name: 'TestEventPattern refuses an event without its envelope fields, with no reason given',
    source: `${LS_PATTERNS} test_invalid_event_payload`,
    steps: [{ ...testPattern({ testEvent: 'value' }, NUMERIC_BODY), expect: { refused: EVENT_NOT_VALID } }],
  },
  {
    name: 'TestEventPattern requires id, account, source, time, region and detail-type, each of them (the API reference lists resources too; AWS does not require it)',
    source: `${LS_EVENTS} provider validation; ${AWS_TEST_EVENT_PATTERN}`,
    steps: (['id', 'account', 'source', 'time', 'region', 'detail-type'] as const).map((field) => ({
      label: `without ${field}`,
      ...testPattern(without(field), { source: ['test-source'] }),
      expect: { refused: { name: 'ValidationException', message: 'Parameter Event is not valid.' } },
    })),
  },
  {
    name: 'TestEventPattern refuses a pattern that is not JSON, or not an object',
    source: `${LS_PATTERNS} test_invalid_json_event_pattern`,
    steps: [
      'this is valid json but not a dict',
      "{'bad': 'quotation'}",
      '{"not": closed mark"',
      '["not", "a", "dict", "but valid json"]',
    ].map((pattern) => ({
      label: pattern,
      ...testPattern(BASE, pattern),
      expect: { refused: { name: 'InvalidEventPatternException' } },
    })),
  },
  {
    name: 'DeleteRule succeeds however often it is called for the same rule, and fails only for a bus that does not exist',
    source: AWS_DELETE_RULE,
    steps: [
      { putRule: { Name: 'twice', EventPattern: '{"source":["dojo"]}' }, expect: { answer: {} } },
      { label: 'first delete', deleteRule: { Name: 'twice' }, expect: { answer: {} } },
      { label: 'second delete', deleteRule: { Name: 'twice' }, expect: { answer: {} } },
      {
        label: 'delete on a bus that does not exist',
        deleteRule: { Name: 'twice', EventBusName: 'no-such-bus' },
        expect: {
          refused: {
            name: 'ResourceNotFoundException',
            message: 'Event bus no-such-bus does not exist.',
            status: 400,
          },
        },
      },
    ],
  },
  {
    name: 'PutEvents fails an entry without Source, DetailType or Detail, with 200 and FailedEntryCount',
    source: `${LS_EVENTS} test_put_events_without_source, _without_detail_type, _without_detail`,
    steps: [
      {
        putEvents: [
          { ...ENTRY, Source: undefined },
          { ...ENTRY, DetailType: undefined },
          { ...ENTRY, Detail: undefined },
        ],
        expect: {
          answer: {
            FailedEntryCount: 3,
            Entries: [
              {
                ErrorCode: 'InvalidArgument',
                ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
              },
              {
                ErrorCode: 'InvalidArgument',
                ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
              },
              {
                ErrorCode: 'InvalidArgument',
                ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
              },
            ],
          },
        },
      },
    ],
  },
  {
    name: 'PutEvents fails a Detail that is not a JSON object as MalformedDetail',
    source: `${LS_EVENTS} test_put_event_malformed_detail[STRING, ARRAY, MALFORMED_JSON, SERIALIZED_STRING]`,
    steps: [
      {
        putEvents: ['plain string', '["a"]', '{"bad": }', JSON.stringify('{"a": 1}')].map((Detail) => ({
          ...ENTRY,
          Detail,
        })),
        expect: { answer: { FailedEntryCount: 4, Entries: [MALFORMED, MALFORMED, MALFORMED, MALFORMED] } },
      },
    ],
  },
  {
    name: 'PutEvents refuses entries over 256 KB in total',
    source: `${LS_EVENTS} test_put_event_with_too_big_detail`,
    steps: [
      {
        putEvents: [{ ...ENTRY, Detail: JSON.stringify({ payload: 'p'.repeat(256 * 1024) }) }],
        expect: {
          refused: {
            name: 'ValidationException',
            message: 'Total size of the entries in the request is over the limit.',
            status: 400,
          },
        },
      },
    ],
  },
  {
    name: 'PutEvents refuses more than ten entries',
    source: `${LS_EVENTS} test_put_events_exceed_limit_ten_entries`,
    steps: [
      {
        putEvents: Array<PutEventsRequestEntry>(11).fill(ENTRY),
        expect: {
          refused: {
            name: 'ValidationException',
            messageMatches: [
              /^1 validation error detected: Value '\[PutEventsRequestEntry\(time=null, source=core\.update-account-command, resources=null, /,
              /' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/,
            ],
          },
        },
      },
    ],
  },
  {
    name: 'PutEvents accepts an entry for a bus that does not exist: an EventId, and no rule sees it',
    source: `${LS_EVENTS} test_put_events_nonexistent_event_bus`,
    steps: [
      {
        putEvents: [ENTRY, { ...ENTRY, EventBusName: 'no-such-bus' }],
        expect: { answer: { FailedEntryCount: 0, Entries: [{ EventId: EVENT_ID }, { EventId: EVENT_ID }] } },
        traced: { entry: 1, includes: { bus: 'no-such-bus', noSuchBus: true } },
      },
    ],
  },
];
