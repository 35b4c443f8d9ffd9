/**
 * Lambda event source mappings on SQS queues, through @aws-sdk/client-lambda and
 * @aws-sdk/client-sqs, with real handlers in sandboxes: batches in AWS's event shape, partial
 * batch failures (batchItemFailures), redelivery after the visibility timeout, the queue's
 * dead-letter queue, filters, and the role check at creation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { LocalCloud } from '../../emulator/cloud.ts';
import { functionsTemplate, tempService, waitFor } from '../support/temp-service.ts';

const service = tempService({
  // Records every event it gets; fails the messages whose body says "fail".
  'functions/worker.ts': `
export const main = async (event: { Records: Array<{ messageId: string; body: string }> }) => {
  console.log(JSON.stringify(event));
  return { batchItemFailures: event.Records.filter((r) => r.body.includes('fail')).map((r) => ({ itemIdentifier: r.messageId })) };
};`,
  'functions/crash.ts': `export const main = async () => { throw new Error('boom'); };`,
});

describe('Lambda event source mappings on SQS', () => {
  let cloud: LocalCloud;
  let lambda: LambdaClient;
  let sqs: SQSClient;
  const queue = async (QueueName: string, Attributes?: Record<string, string>) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName, Attributes }));
    return { url: QueueUrl!, arn: cloud.sqs.arnOf(QueueName) };
  };
  const send = (QueueUrl: string, bodies: string[]) =>
    sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: bodies.map((MessageBody, i) => ({ Id: `m${i}`, MessageBody })),
      }),
    );
  /** The events a function received, in order. */
  const eventsOf = (fn: string) =>
    cloud.trace
      .find('invoke.start', (e) => e.function === `test-local-${fn}`)
      .map((e) => e.event as { Records: Array<Record<string, any>> });
  const statements = [
    {
      Effect: 'Allow',
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      Resource: 'arn:aws:sqs:eu-west-1:123456789012:*',
    },
  ];

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 10, 21, 10, 0, 0) });
    lambda = new LambdaClient(cloud.clientConfig());
    sqs = new SQSClient(cloud.clientConfig());
    await cloud.deployTemplate(
      functionsTemplate(
        { worker: { handler: 'functions/worker.main' }, crash: { handler: 'functions/crash.main' } },
        statements,
      ),
      { serviceDir: service.dir, stackName: 'test-local' },
    );
  }, 60_000);
  afterAll(async () => {
    lambda?.destroy();
    sqs?.destroy();
    await cloud?.stop();
    service.remove();
  });

  it('hands batches to the function in AWS event shape and keeps only the reported failures', async () => {
    const q = await queue('jobs', { VisibilityTimeout: '30' });
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'test-local-worker',
        EventSourceArn: q.arn,
        BatchSize: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    );
    expect(created).toMatchObject({ State: 'Creating', BatchSize: 5, EventSourceArn: q.arn });
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State).toBe(
      'Enabled',
    );
    await send(q.url, ['ok-1', 'fail-2', 'ok-3']);
    await waitFor(() => cloud.trace.find('esm.result').length === 1, 'the first batch');
    const [first] = eventsOf('worker');
    expect(first.Records.map((r) => r.body)).toEqual(['ok-1', 'fail-2', 'ok-3']);
    expect(first.Records[0]).toEqual({
      messageId: expect.any(String),
      receiptHandle: expect.any(String),
      body: 'ok-1',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.any(String),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update('ok-1').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: q.arn,
      awsRegion: 'eu-west-1',
    });
    // Only fail-2 is left, invisible for 30 s from its receive (the invocation itself took
    // virtual time, at real speed); then it comes back alone.
    const [received] = cloud.trace.find('sqs.receive', (e) => e.queue === 'jobs');
    await cloud.clock.advanceTo(received.time + 29_000);
    expect(eventsOf('worker')).toHaveLength(1);
    await cloud.clock.advanceTo(received.time + 30_000);
    await waitFor(() => cloud.trace.find('esm.result').length === 2, 'the redelivery');
    const again = eventsOf('worker')[1];
    expect(again.Records.map((r) => [r.body, r.attributes.ApproximateReceiveCount])).toEqual([
      ['fail-2', '2'],
    ]);
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
    expect(
      (await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: q.arn }))).EventSourceMappings,
    ).toEqual([]);
  });

  it("sends a batch the function keeps failing to the queue's dead-letter queue", async () => {
    const dlq = await queue('crash-dlq');
    const q = await queue('crashing', {
      VisibilityTimeout: '10',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
    });
    const { UUID } = await lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: 'test-local-crash', EventSourceArn: q.arn }),
    );
    await send(q.url, ['poison']);
    await waitFor(() => eventsOf('crash').length === 1, 'the first attempt');
    await cloud.clock.advance(10_000);
    await waitFor(() => eventsOf('crash').length === 2, 'the second attempt');
    await cloud.clock.advance(10_000);
    await waitFor(
      () => cloud.trace.find('sqs.redrive', (e) => e.queue === 'crashing').length === 1,
      'the redrive',
    );
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url }));
    expect(Messages.map((m) => m.Body)).toEqual(['poison']);
    expect(eventsOf('crash')).toHaveLength(2);
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID }));
  });

  it('deletes the messages no filter matches without invoking the function', async () => {
    const q = await queue('filtered');
    const before = eventsOf('worker').length;
    const { UUID } = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'test-local-worker',
        EventSourceArn: q.arn,
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { colour: ['red'] } }) }] },
      }),
    );
    await send(q.url, ['{"colour":"red"}', '{"colour":"blue"}', 'not json']);
    await waitFor(
      () => cloud.trace.find('esm.result', (e) => e.uuid === UUID).length === 1,
      'the filtered batch',
    );
    expect(eventsOf('worker')).toHaveLength(before + 1);
    expect(eventsOf('worker')[before].Records.map((r) => r.body)).toEqual(['{"colour":"red"}']);
    expect(cloud.sqs.all().find((x) => x.name === 'filtered')).toMatchObject({ messages: 0, inFlight: 0 });
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID }));
  });

  it('refuses a mapping the function cannot use, or settings Lambda refuses', async () => {
    const q = await queue('refused.fifo', { FifoQueue: 'true' });
    await expect(
      lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'test-local-worker',
          EventSourceArn: q.arn,
          BatchSize: 11,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'BatchSize for a FIFO queue must be between 1 and 10.',
    });
    await expect(
      lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'test-local-worker',
          EventSourceArn: cloud.sqs.arnOf('missing'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'nobody', EventSourceArn: q.arn })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    // A DynamoDB stream that does not exist is refused; a Kinesis stream is not polled locally:
    // the API refuses it, a template gets it skipped with a warning, as an unsupported resource is.
    await expect(
      lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'test-local-worker',
          EventSourceArn:
            'arn:aws:dynamodb:eu-west-1:123456789012:table/viruses/stream/2026-11-21T10:00:00.000',
          StartingPosition: 'LATEST',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('Stream not found'),
    });
    const stream = 'arn:aws:kinesis:eu-west-1:123456789012:stream/viruses';
    await expect(
      lambda.send(
        new CreateEventSourceMappingCommand({ FunctionName: 'test-local-worker', EventSourceArn: stream }),
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining('Kinesis') });
    await cloud.deployTemplate(
      {
        Resources: {
          StreamMapping: {
            Type: 'AWS::Lambda::EventSourceMapping',
            Properties: {
              FunctionName: 'test-local-worker',
              EventSourceArn: stream,
              StartingPosition: 'LATEST',
            },
          },
        },
      },
      { serviceDir: service.dir, stackName: 'streams-local' },
    );
    expect(cloud.trace.find('stack.warning').map((e) => e.message)).toEqual([
      expect.stringMatching(/^StreamMapping \(AWS::Lambda::EventSourceMapping\) reads .* it was skipped/),
    ]);
    await expect(
      lambda.send(new GetEventSourceMappingCommand({ UUID: 'not-a-mapping' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
