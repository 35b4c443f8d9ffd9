/**
 * EventBridge validation as AWS answers it, case by case, through @aws-sdk/client-eventbridge.
 *
 * Each case is an answer recorded on real AWS, not a reading of the API reference (which, for
 * one, calls `resources` required in a TestEventPattern event; AWS accepts events without it).
 * Sources, named in each test:
 * - [LS-patterns]: LocalStack's AWS-validated snapshot tests for TestEventPattern,
 *   tests/aws/services/events/test_events_patterns.py and its .snapshot.json (recorded on AWS
 *   2024-12-05), https://github.com/localstack/localstack/tree/main/tests/aws/services/events
 * - [LS-events]: the same for PutEvents and buses, test_events.py and test_events.snapshot.json
 *   (recorded on AWS 2024-12-06).
 * - [AWS-API]: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html
 * - [AWS-DeleteRule]: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DeleteRuleCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  TestEventPatternCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { LocalCloud } from '../../emulator/cloud.ts';

describe('EventBridge validation as recorded on AWS', () => {
  let cloud: LocalCloud;
  let eb: EventBridgeClient;

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 10, 21, 10, 0, 0) });
    eb = new EventBridgeClient(cloud.clientConfig());
  });
  afterAll(async () => {
    eb?.destroy();
    await cloud?.stop();
  });

  const test = (event: unknown, pattern: unknown) =>
    eb
      .send(
        new TestEventPatternCommand({
          Event: typeof event === 'string' ? event : JSON.stringify(event),
          EventPattern: typeof pattern === 'string' ? pattern : JSON.stringify(pattern),
        }),
      )
      .then((r) => r.Result);
  const refusal = async (promise: Promise<unknown>) => {
    const error = (await promise.then(
      () => undefined,
      (e: unknown) => e,
    )) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
    expect(error, 'AWS refuses this request').toBeDefined();
    return { name: error!.name, message: error!.message, status: error!.$metadata?.httpStatusCode };
  };

  // The shape of the events in [LS-patterns]: no `resources`, often no `detail`.
  const base = {
    id: '1',
    source: 'test-source',
    'detail-type': 'test-detail-type',
    account: '123456789012',
    region: 'us-east-2',
    time: '2022-07-13T13:48:01Z',
  };

  describe('TestEventPattern', () => {
    it('accepts an event without resources or detail, and matches it (LS-patterns test_event_pattern_source)', async () => {
      const event = {
        id: '1',
        source: 'order',
        'detail-type': 'Test',
        account: '123456789012',
        region: 'eu-west-1',
        time: '2026-11-21T10:00:00Z',
      };
      expect(await test(event, { source: ['order'], 'detail-type': ['Test'] })).toBe(true);
      expect(await test(event, { source: ['shipment'], 'detail-type': ['Test'] })).toBe(false);
    });

    it('matches exists:false on a path the event lacks, without resources (LS-patterns content_exists_false)', async () => {
      const event = { ...base, detail: { level1: { level2: 'l2 value' } } };
      expect(
        await test(event, { detail: { level1: { 'level2:': { level3: { level4: [{ exists: false }] } } } } }),
      ).toBe(true);
    });

    it('matches on resources when the event has them (LS-patterns arrays_empty_null_NEG)', async () => {
      expect(await test({ ...base, resources: [] }, { resources: [null] })).toBe(false);
    });

    it('refuses an empty array in the pattern, with the column (LS-patterns arrays_empty_EXC)', async () => {
      expect(await refusal(test({ ...base, resources: [] }, '{"resources": []}'))).toEqual({
        name: 'InvalidEventPatternException',
        message:
          'Event pattern is not valid. Reason: Empty arrays are not allowed\n at [Source: (String)"{"resources": []}"; line: 1, column: 17]',
        status: 400,
      });
    });

    it('refuses a bare value in the pattern (LS-patterns int_nolist_EXC, string_nolist_EXC)', async () => {
      expect((await refusal(test(base, '{"int": 42}'))).message).toBe(
        'Event pattern is not valid. Reason: "int" must be an object or an array\n at [Source: (String)"{"int": 42}"; line: 1, column: 11]',
      );
      expect((await refusal(test(base, '{"string": "my-value"}'))).message).toBe(
        'Event pattern is not valid. Reason: "string" must be an object or an array\n at [Source: (String)"{"string": "my-value"}"; line: 1, column: 13]',
      );
    });

    it('refuses an event that is not JSON: "Parameter Event is not valid." (LS-patterns test_plain_string_payload)', async () => {
      expect(await refusal(test('plain string', { body: { test2: [{ numeric: ['>', 100] }] } }))).toEqual({
        name: 'ValidationException',
        message: 'Parameter Event is not valid.',
        status: 400,
      });
    });

    it('refuses an event that is a JSON array (LS-patterns test_array_event_payload)', async () => {
      expect(await refusal(test(['plain string'], { body: { test2: [{ numeric: ['>', 100] }] } }))).toEqual({
        name: 'ValidationException',
        message: 'Parameter Event is not valid.',
        status: 400,
      });
    });

    it('refuses an event without its envelope fields, with no reason given (LS-patterns test_invalid_event_payload)', async () => {
      expect(
        await refusal(test({ testEvent: 'value' }, { body: { test2: [{ numeric: ['>', 100] }] } })),
      ).toEqual({ name: 'ValidationException', message: 'Parameter Event is not valid.', status: 400 });
    });

    it('requires id, account, source, time, region and detail-type, each of them (LS-events provider validation; AWS-API lists resources too, AWS does not require it)', async () => {
      for (const field of ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const) {
        const { [field]: _left, ...event } = base;
        expect(await refusal(test(event, { source: ['test-source'] })), `without ${field}`).toMatchObject({
          name: 'ValidationException',
          message: 'Parameter Event is not valid.',
        });
      }
    });

    it('refuses a pattern that is not JSON, or not an object (LS-patterns test_invalid_json_event_pattern)', async () => {
      for (const pattern of [
        'this is valid json but not a dict',
        "{'bad': 'quotation'}",
        '{"not": closed mark"',
        '["not", "a", "dict", "but valid json"]',
      ]) {
        expect((await refusal(test(base, pattern))).name, pattern).toBe('InvalidEventPatternException');
      }
    });
  });

  describe('DeleteRule', () => {
    it('succeeds however often it is called for the same rule, and fails only for a bus that does not exist (AWS-DeleteRule)', async () => {
      await eb.send(new PutRuleCommand({ Name: 'twice', EventPattern: '{"source":["dojo"]}' }));
      await eb.send(new DeleteRuleCommand({ Name: 'twice' }));
      await expect(eb.send(new DeleteRuleCommand({ Name: 'twice' }))).resolves.toBeDefined();
      expect(
        await refusal(eb.send(new DeleteRuleCommand({ Name: 'twice', EventBusName: 'no-such-bus' }))),
      ).toEqual({
        name: 'ResourceNotFoundException',
        message: 'Event bus no-such-bus does not exist.',
        status: 400,
      });
    });
  });

  describe('PutEvents', () => {
    const entry = {
      Source: 'core.update-account-command',
      DetailType: 'core.update-account-command',
      Detail: JSON.stringify({ command: 'update-account' }),
    };
    const put = (...entries: PutEventsRequestEntry[]) => eb.send(new PutEventsCommand({ Entries: entries }));

    it('fails an entry without Source, DetailType or Detail, with 200 and FailedEntryCount (LS-events test_put_events_without_source, _without_detail_type, _without_detail)', async () => {
      const out = await put(
        { ...entry, Source: undefined },
        { ...entry, DetailType: undefined },
        { ...entry, Detail: undefined },
      );
      expect(out.FailedEntryCount).toBe(3);
      expect(out.Entries).toEqual([
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
      ]);
    });

    it('fails a Detail that is not a JSON object as MalformedDetail (LS-events test_put_event_malformed_detail[STRING, ARRAY, MALFORMED_JSON, SERIALIZED_STRING])', async () => {
      const out = await put(
        ...['plain string', '["a"]', '{"bad": }', JSON.stringify('{"a": 1}')].map((Detail) => ({
          ...entry,
          Detail,
        })),
      );
      expect(out.FailedEntryCount).toBe(4);
      expect(new Set(out.Entries?.map((e) => `${e.ErrorCode}: ${e.ErrorMessage}`))).toEqual(
        new Set(['MalformedDetail: Detail is malformed.']),
      );
    });

    it('refuses entries over 256 KB in total (LS-events test_put_event_with_too_big_detail)', async () => {
      const detail = JSON.stringify({ payload: 'p'.repeat(256 * 1024) });
      expect(await refusal(put({ ...entry, Detail: detail }))).toEqual({
        name: 'ValidationException',
        message: 'Total size of the entries in the request is over the limit.',
        status: 400,
      });
    });

    it('refuses more than ten entries (LS-events test_put_events_exceed_limit_ten_entries)', async () => {
      const { name, message } = await refusal(put(...Array(11).fill(entry)));
      expect(name).toBe('ValidationException');
      expect(message).toMatch(
        /^1 validation error detected: Value '\[PutEventsRequestEntry\(time=null, source=core\.update-account-command, resources=null, /,
      );
      expect(message).toMatch(
        /' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/,
      );
    });

    it('accepts an entry for a bus that does not exist: an EventId, and no rule sees it (LS-events test_put_events_nonexistent_event_bus)', async () => {
      const out = await put(entry, { ...entry, EventBusName: 'no-such-bus' });
      expect(out.FailedEntryCount).toBe(0);
      expect(out.Entries?.map((e) => e.EventId)).toEqual([
        expect.stringMatching(/^[0-9a-f-]{36}$/),
        expect.stringMatching(/^[0-9a-f-]{36}$/),
      ]);
      const traced = cloud.trace.find('events.put', (e) => e.eventId === out.Entries?.[1].EventId)[0];
      expect(traced).toMatchObject({ bus: 'no-such-bus', noSuchBus: true });
    });
  });
});
