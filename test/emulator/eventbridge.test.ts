import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
  CreateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import { LocalCloud } from '../../emulator/cloud.ts';
import { functionsTemplate, tempService } from '../support/temp-service.ts';

// A function that only records what it receives: the trace keeps each invocation's event.
const service = tempService({
  'functions/sink.ts': 'export const main = async (event: unknown) => ({ got: event });',
});

describe('EventBridge through @aws-sdk/client-eventbridge', () => {
  let cloud: LocalCloud;
  let eb: EventBridgeClient;
  let sinkArn: string;
  const START = Date.UTC(2026, 10, 21, 10, 0, 0);
  const received = (fn = 'test-local-sink') =>
    cloud.trace.find('invoke.start', (e) => e.function === fn).map((e) => e.event as Record<string, any>);

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: START });
    await cloud.deployTemplate(functionsTemplate({ sink: { handler: 'functions/sink.main' } }), {
      serviceDir: service.dir,
      stackName: 'test-local',
    });
    sinkArn = cloud.lambda.arnOf('test-local-sink');
    eb = new EventBridgeClient(cloud.clientConfig());
    await eb.send(new CreateEventBusCommand({ Name: 'dojo' }));
  });
  afterAll(async () => {
    eb?.destroy();
    await cloud?.stop();
    service.remove();
  });

  it('manages rules and targets like AWS', async () => {
    const { RuleArn } = await eb.send(
      new PutRuleCommand({
        Name: 'viruses',
        EventBusName: 'dojo',
        EventPattern: JSON.stringify({ source: ['dojo-serverless'] }),
      }),
    );
    expect(RuleArn).toBe('arn:aws:events:eu-west-1:123456789012:rule/dojo/viruses');
    await eb.send(
      new PutTargetsCommand({
        Rule: 'viruses',
        EventBusName: 'dojo',
        Targets: [{ Id: 'sink', Arn: sinkArn }],
      }),
    );
    expect((await eb.send(new ListRulesCommand({ EventBusName: 'dojo' }))).Rules?.map((r) => r.Name)).toEqual(
      ['viruses'],
    );
    expect(
      (await eb.send(new DescribeRuleCommand({ Name: 'viruses', EventBusName: 'dojo' }))).EventPattern,
    ).toBe('{"source":["dojo-serverless"]}');
    expect(
      (await eb.send(new ListTargetsByRuleCommand({ Rule: 'viruses', EventBusName: 'dojo' }))).Targets,
    ).toEqual([{ Id: 'sink', Arn: sinkArn }]);
    expect((await eb.send(new ListEventBusesCommand({}))).EventBuses?.map((b) => b.Name).sort()).toEqual([
      'default',
      'dojo',
    ]);
    await expect(
      eb.send(new DeleteRuleCommand({ Name: 'viruses', EventBusName: 'dojo' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await eb.send(new RemoveTargetsCommand({ Rule: 'viruses', EventBusName: 'dojo', Ids: ['sink'] }));
    await eb.send(new DeleteRuleCommand({ Name: 'viruses', EventBusName: 'dojo' }));
    await expect(
      eb.send(new DescribeRuleCommand({ Name: 'viruses', EventBusName: 'dojo' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses invalid patterns and schedules with AWS errors', async () => {
    await expect(
      eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source": "dojo"}' })),
    ).rejects.toMatchObject({ name: 'InvalidEventPatternException' });
    await expect(
      eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'rate(1 minutes)' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Parameter ScheduleExpression is not valid.',
    });
    await expect(
      eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'cron(0 12 * * MON *)' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('validates PutEvents entries one by one, and the request as a whole', async () => {
    const out = await eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'dojo-serverless', DetailType: 'X', Detail: '{}' },
          { Source: 'dojo-serverless', DetailType: 'X', Detail: 'not json' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.[0].EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.Entries?.[1]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    const eleven = Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' }));
    await expect(eb.send(new PutEventsCommand({ Entries: eleven }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('delivers matching events to a Lambda target in the AWS envelope, with an InputTransformer', async () => {
    await eb.send(
      new PutRuleCommand({
        Name: 'prefix',
        EventBusName: 'dojo',
        EventPattern: JSON.stringify({ detail: { id: [{ prefix: 'outbreak:' }] } }),
      }),
    );
    await eb.send(
      new PutTargetsCommand({
        Rule: 'prefix',
        EventBusName: 'dojo',
        Targets: [
          { Id: 'raw', Arn: sinkArn },
          {
            Id: 'shaped',
            Arn: sinkArn,
            InputTransformer: {
              InputPathsMap: { id: '$.detail.id' },
              InputTemplate: '{"schedule": <id>, "rule": "<aws.events.rule-name>"}',
            },
          },
        ],
      }),
    );
    const before = received().length;
    await eb.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'dojo',
            Source: 'dojo-serverless',
            DetailType: 'Schedule Tick',
            Detail: '{"id":"outbreak:every-5"}',
          },
          {
            EventBusName: 'dojo',
            Source: 'dojo-serverless',
            DetailType: 'Schedule Tick',
            Detail: '{"id":"test:once"}',
          },
        ],
      }),
    );
    await cloud.clock.advanceUntil(() => received().length >= before + 2, 10_000);
    const got = received().slice(before);
    expect(got).toHaveLength(2);
    const raw = got.find((e) => e.version === '0')!;
    expect(raw).toMatchObject({
      'detail-type': 'Schedule Tick',
      source: 'dojo-serverless',
      account: '123456789012',
      region: 'eu-west-1',
      resources: [],
      detail: { id: 'outbreak:every-5' },
    });
    expect(raw.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(got.find((e) => e.schedule)).toEqual({ schedule: 'outbreak:every-5', rule: 'prefix' });
  });

  it('fires an AWS cron schedule at the right minutes of virtual time', async () => {
    await eb.send(new PutRuleCommand({ Name: 'every5', ScheduleExpression: 'cron(0/5 * * * ? *)' }));
    await eb.send(new PutTargetsCommand({ Rule: 'every5', Targets: [{ Id: 'sink', Arn: sinkArn }] }));
    const from = cloud.clock.now();
    await cloud.clock.advance(3_600_000);
    const fired = received().filter(
      (e) => e['detail-type'] === 'Scheduled Event' && Date.parse(e.time) > from,
    );
    expect(fired).toHaveLength(12);
    for (const e of fired) {
      expect(new Date(e.time).getUTCMinutes() % 5).toBe(0);
      expect(e).toMatchObject({
        source: 'aws.events',
        resources: ['arn:aws:events:eu-west-1:123456789012:rule/every5'],
        detail: {},
      });
    }
    await eb.send(new DeleteRuleCommand({ Name: 'every5', Force: true }));
  });

  it('fires a one-off cron more than 24.8 days ahead on its day, not at once', async () => {
    await eb.send(new PutRuleCommand({ Name: 'christmas', ScheduleExpression: 'cron(30 7 25 12 ? 2026)' }));
    await eb.send(new PutTargetsCommand({ Rule: 'christmas', Targets: [{ Id: 'sink', Arn: sinkArn }] }));
    await cloud.clock.advance(60_000);
    expect(cloud.trace.find('schedule.fire', (e) => e.rule === 'christmas')).toEqual([]);
    await cloud.clock.advanceTo(Date.UTC(2026, 11, 25, 8, 0, 0));
    expect(
      cloud.trace
        .find('schedule.fire', (e) => e.rule === 'christmas')
        .map((e) => new Date(e.time).toISOString()),
    ).toEqual(['2026-12-25T07:30:00.000Z']);
    await eb.send(new RemoveTargetsCommand({ Rule: 'christmas', Ids: ['sink'] }));
    await eb.send(new DeleteRuleCommand({ Name: 'christmas' }));
  });

  it('answers TestEventPattern', async () => {
    const event = JSON.stringify({
      id: '1',
      account: '123456789012',
      source: 'dojo-serverless',
      time: '2026-11-21T10:00:00Z',
      region: 'eu-west-1',
      resources: [],
      'detail-type': 'X',
      detail: { strength: 7 },
    });
    expect(
      (
        await eb.send(
          new TestEventPatternCommand({
            EventPattern: '{"detail":{"strength":[{"numeric":[">",5]}]}}',
            Event: event,
          }),
        )
      ).Result,
    ).toBe(true);
    expect(
      (
        await eb.send(
          new TestEventPatternCommand({
            EventPattern: '{"detail":{"strength":[{"numeric":["<",5]}]}}',
            Event: event,
          }),
        )
      ).Result,
    ).toBe(false);
  });
});
