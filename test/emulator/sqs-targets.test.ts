/**
 * SQS queues as targets, through the real SDK clients: an EventBridge rule that sends matched
 * events to a queue, a schedule that sends to a queue, and a schedule whose target fails,
 * retried as its RetryPolicy says and then dead-lettered to its DeadLetterConfig queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { LocalCloud } from '../../emulator/cloud.ts';

describe('SQS queues as EventBridge and Scheduler targets', () => {
  const START = Date.UTC(2026, 10, 21, 10, 0, 0);
  const ROLE = 'arn:aws:iam::123456789012:role/scheduler';
  let cloud: LocalCloud;
  let sqs: SQSClient;
  let events: EventBridgeClient;
  let scheduler: SchedulerClient;
  const queue = async (QueueName: string, Attributes?: Record<string, string>) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName, Attributes }));
    return { url: QueueUrl!, arn: cloud.sqs.arnOf(QueueName) };
  };
  const receive = async (QueueUrl: string) =>
    (
      await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
      )
    ).Messages ?? [];
  const at = (ms: number) => `at(${new Date(ms).toISOString().slice(0, 19)})`;

  beforeAll(async () => {
    // Scheduler's role is not what these tests are about (scheduler.test.ts checks it).
    cloud = await LocalCloud.start({ start: START, enforceIam: false });
    sqs = new SQSClient(cloud.clientConfig());
    events = new EventBridgeClient(cloud.clientConfig());
    scheduler = new SchedulerClient(cloud.clientConfig());
  });
  afterAll(async () => {
    sqs?.destroy();
    events?.destroy();
    scheduler?.destroy();
    await cloud?.stop();
  });

  it('sends a matched event to a queue, transformed by the target, and to a FIFO queue in its group', async () => {
    const plain = await queue('outbreaks');
    const fifo = await queue('outbreaks.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await events.send(
      new PutRuleCommand({ Name: 'outbreak', EventPattern: JSON.stringify({ source: ['dojo.viruses'] }) }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'outbreak',
        Targets: [
          { Id: 'queue', Arn: plain.arn, InputPath: '$.detail' },
          { Id: 'fifo', Arn: fifo.arn, SqsParameters: { MessageGroupId: 'board' } },
        ],
      }),
    );
    await events.send(
      new PutEventsCommand({
        Entries: [{ Source: 'dojo.viruses', DetailType: 'Virus Created', Detail: '{"id":"v1"}' }],
      }),
    );
    expect((await receive(plain.url)).map((m) => JSON.parse(m.Body!))).toEqual([{ id: 'v1' }]);
    const [whole] = await receive(fifo.url);
    expect(JSON.parse(whole.Body!)).toMatchObject({ source: 'dojo.viruses', detail: { id: 'v1' } });
    const [sent] = cloud.trace.find('sqs.send', (e) => e.queue === 'outbreaks.fifo');
    expect(sent).toMatchObject({ groupId: 'board' });
    expect(cloud.trace.get(sent.cause!)).toMatchObject({ kind: 'target.invoke', rule: 'outbreak' });
  });

  it('sends a schedule firing to a queue', async () => {
    const q = await queue('morning');
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'to-queue',
        ScheduleExpression: at(START + 60_000),
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: q.arn, RoleArn: ROLE, Input: '{"at":"<aws.scheduler.scheduled-time>"}' },
      }),
    );
    await cloud.clock.advance(61_000);
    expect((await receive(q.url)).map((m) => m.Body)).toEqual([
      JSON.stringify({ at: new Date(START + 60_000).toISOString().replace('.000', '') }),
    ]);
  });

  it("traces a queue's refusal as each service's own failed delivery: a FIFO queue without a group", async () => {
    const fifo = await queue('nogroup.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await events.send(
      new PutRuleCommand({ Name: 'to-fifo', EventPattern: JSON.stringify({ source: ['dojo.nogroup'] }) }),
    );
    await events.send(new PutTargetsCommand({ Rule: 'to-fifo', Targets: [{ Id: 'fifo', Arn: fifo.arn }] }));
    await events.send(
      new PutEventsCommand({
        Entries: [{ Source: 'dojo.nogroup', DetailType: 'Virus Created', Detail: '{}' }],
      }),
    );
    const [ruleError] = cloud.trace.find('target.error', (e) => e.rule === 'to-fifo');
    expect(ruleError).toMatchObject({ target: fifo.arn, error: expect.stringMatching(/MessageGroupId/) });
    expect(cloud.trace.get(ruleError.cause!)).toMatchObject({ kind: 'target.invoke', rule: 'to-fifo' });

    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'to-fifo',
        ScheduleExpression: at(cloud.clock.now() + 60_000),
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: fifo.arn, RoleArn: ROLE, Input: '{}', RetryPolicy: { MaximumRetryAttempts: 0 } },
      }),
    );
    await cloud.clock.advance(61_000);
    const [scheduleError] = cloud.trace.find('scheduler.error', (e) => e.schedule === 'to-fifo');
    expect(scheduleError).toMatchObject({
      target: fifo.arn,
      attempt: 1,
      error: expect.stringMatching(/MessageGroupId/),
    });
    expect(cloud.trace.get(scheduleError.cause!)).toMatchObject({
      kind: 'scheduler.invoke',
      schedule: 'to-fifo',
    });
    expect(await receive(fifo.url)).toEqual([]);
  });

  it('retries a failing target MaximumRetryAttempts times with backoff, then sends the dead-letter event', async () => {
    const dlq = await queue('schedule-dlq');
    const now = cloud.clock.now();
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'failing',
        ScheduleExpression: at(now + 60_000),
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: cloud.sqs.arnOf('no-such-queue'),
          RoleArn: ROLE,
          Input: '{"virus":"v2"}',
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: dlq.arn },
        },
      }),
    );
    await cloud.clock.advance(120_000);
    const errors = cloud.trace.find('scheduler.error', (e) => e.schedule === 'failing');
    // The first attempt, then retries 1 s and 2 s later.
    expect(errors.map((e) => [e.attempt, e.time - errors[0].time])).toEqual([
      [1, 0],
      [2, 1000],
      [3, 3000],
    ]);
    const [dead] = await receive(dlq.url);
    expect(dead.Body).toBe('{"virus":"v2"}');
    const attr = (name: string) => dead.MessageAttributes![name]?.StringValue;
    expect(attr('EXHAUSTED_RETRY_CONDITION')).toBe('MaximumRetryAttempts');
    expect(attr('RETRY_ATTEMPTS')).toBe('2');
    expect(attr('ERROR_CODE')).toBe('QueueDoesNotExist');
    expect(attr('TARGET_ARN')).toBe(cloud.sqs.arnOf('no-such-queue'));
    expect(attr('SCHEDULE_ARN')).toBe(cloud.scheduler.scheduleArn('default', 'failing'));
  });

  it('stops retrying once the event is older than MaximumEventAgeInSeconds', async () => {
    const dlq = await queue('age-dlq');
    const now = cloud.clock.now();
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'ageing',
        ScheduleExpression: at(now + 60_000),
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: cloud.lambda.arnOf('no-such-function'),
          RoleArn: ROLE,
          RetryPolicy: { MaximumEventAgeInSeconds: 60 },
          DeadLetterConfig: { Arn: dlq.arn },
        },
      }),
    );
    await cloud.clock.advance(10 * 60_000);
    // 1 + 2 + 4 + 8 + 16 = 31 s of backoff fit in 60 s; the next wait (32 s) would not.
    expect(cloud.trace.find('scheduler.error', (e) => e.schedule === 'ageing')).toHaveLength(6);
    const [dead] = await receive(dlq.url);
    expect(dead.MessageAttributes!.EXHAUSTED_RETRY_CONDITION.StringValue).toBe('MaximumEventAgeInSeconds');
    expect(dead.MessageAttributes!.ERROR_CODE.StringValue).toBe('ResourceNotFoundException');
  });

  it('refuses a FIFO dead-letter queue, as Scheduler does', async () => {
    await expect(
      scheduler.send(
        new CreateScheduleCommand({
          Name: 'fifo-dlq',
          ScheduleExpression: 'rate(1 hour)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: {
            Arn: cloud.sqs.arnOf('morning'),
            RoleArn: ROLE,
            DeadLetterConfig: { Arn: cloud.sqs.arnOf('dlq.fifo') },
          },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
