/**
 * SQS on the local cloud through the real @aws-sdk/client-sqs: queues, messages, visibility
 * on the virtual clock, long polling, FIFO order and deduplication, dead-letter queues, and
 * SQS's own errors for bad input.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  TooManyEntriesInBatchRequest,
  InvalidAttributeValue,
} from '@aws-sdk/client-sqs';
import { LocalCloud } from '../../emulator/cloud.ts';

describe('SQS through the AWS SDK', () => {
  let cloud: LocalCloud;
  let sqs: SQSClient;
  const create = async (QueueName: string, Attributes: Record<string, string> = {}) =>
    (await sqs.send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;
  const receive = (QueueUrl: string, extra: Record<string, unknown> = {}) =>
    sqs
      .send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['All'], ...extra }))
      .then((r) => r.Messages ?? []);

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 10, 21, 10, 0, 0) });
    sqs = new SQSClient(cloud.clientConfig());
  });
  afterAll(async () => {
    sqs?.destroy();
    await cloud?.stop();
  });

  it('creates, finds, lists and deletes queues', async () => {
    const url = await create('viruses');
    expect(url).toBe(`${cloud.endpoint}/123456789012/viruses`);
    // Creating it again with the same attributes is the same queue.
    expect(await create('viruses')).toBe(url);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'viruses' }))).QueueUrl).toBe(url);
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'vir' }))).QueueUrls).toEqual([url]);
    const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })))
      .Attributes!;
    expect(attrs).toMatchObject({
      QueueArn: 'arn:aws:sqs:eu-west-1:123456789012:viruses',
      VisibilityTimeout: '30',
      MaximumMessageSize: '1048576',
      ApproximateNumberOfMessages: '0',
    });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'viruses' }))).rejects.toBeInstanceOf(
      QueueDoesNotExist,
    );
  });

  it('refuses what SQS refuses, with its errors', async () => {
    await create('strict', { VisibilityTimeout: '10' });
    await expect(create('strict', { VisibilityTimeout: '20' })).rejects.toBeInstanceOf(QueueNameExists);
    await expect(create('bad', { VisibilityTimeout: '43201' })).rejects.toBeInstanceOf(InvalidAttributeValue);
    await expect(create('bad name')).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    });
    const url = await create('small', { MaximumMessageSize: '262144' });
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(262_145) })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.',
    });
    await expect(
      sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'not-a-handle' })),
    ).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
    await expect(receive(url, { MaxNumberOfMessages: 11 })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message:
        'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    });
    await expect(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' })),
        }),
      ),
    ).rejects.toBeInstanceOf(TooManyEntriesInBatchRequest);
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: `${cloud.endpoint}/123456789012/nope`, MessageBody: 'x' })),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist', Code: 'AWS.SimpleQueueService.NonExistentQueue' });
  });

  it('hides a received message for the visibility timeout, then delivers it again', async () => {
    const url = await create('work', { VisibilityTimeout: '30' });
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: '{"virus":"v1"}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'red' } },
      }),
    );
    const [first] = await receive(url, { MessageAttributeNames: ['All'] });
    expect(first).toMatchObject({
      MessageId: sent.MessageId,
      Body: '{"virus":"v1"}',
      Attributes: { ApproximateReceiveCount: '1' },
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'red' } },
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
    });
    expect(await receive(url)).toEqual([]);
    await cloud.clock.advance(30_000);
    const [again] = await receive(url);
    expect(again.Attributes!.ApproximateReceiveCount).toBe('2');
    // The first handle is stale; the new one deletes the message.
    await expect(
      sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: first.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      ),
    ).rejects.toMatchObject({ name: 'MessageNotInflight' });
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle }));
    await cloud.clock.advance(60_000);
    expect(await receive(url)).toEqual([]);
  });

  it('long-polls on the virtual clock: a message sent during the wait ends it', async () => {
    const url = await create('poll');
    // The clock moves once the poll has reached the queue (it is in flight on a real socket).
    const waiting = () =>
      vi.waitFor(() => expect(cloud.sqs.all().find((q) => q.name === 'poll')?.polls).toBe(1));
    const polling = receive(url, { WaitTimeSeconds: 20 });
    await waiting();
    await cloud.clock.advance(5_000);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'late' }));
    const got = await polling;
    expect(got.map((m) => m.Body)).toEqual(['late']);
    // With nothing to receive, the poll ends empty after its wait.
    const empty = receive(url, { WaitTimeSeconds: 20 });
    await waiting();
    await cloud.clock.advance(19_000);
    expect(cloud.sqs.all().find((q) => q.name === 'poll')?.polls).toBe(1);
    await cloud.clock.advance(1_000);
    expect(await empty).toEqual([]);
  });

  it('keeps FIFO order per group, holds a group while one of its messages is in flight, and drops repeats', async () => {
    const url = await create('orders.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const send = (MessageBody: string, MessageGroupId: string) =>
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody, MessageGroupId }));
    const a1 = await send('a1', 'a');
    await send('a2', 'a');
    await send('b1', 'b');
    // Same body within 5 minutes: accepted, not queued again.
    expect((await send('a1', 'a')).MessageId).toBe(a1.MessageId);
    const first = await receive(url, { MaxNumberOfMessages: 1 });
    expect(first.map((m) => m.Body)).toEqual(['a1']);
    // Group a is held while a1 is in flight; b is free.
    const second = await receive(url, { MaxNumberOfMessages: 10 });
    expect(second.map((m) => m.Body)).toEqual(['b1']);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first[0].ReceiptHandle }));
    expect((await receive(url, { MaxNumberOfMessages: 10 })).map((m) => m.Body)).toEqual(['a2']);
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }))).rejects.toMatchObject(
      {
        name: 'MissingParameter',
        message: 'The request must contain the parameter MessageGroupId.',
      },
    );
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    const dlq = await create('work-dlq');
    const dlqArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn;
    const url = await create('flaky', {
      VisibilityTimeout: '5',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
    });
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (let i = 0; i < 2; i++) {
      expect(await receive(url)).toHaveLength(1);
      await cloud.clock.advance(5_000);
    }
    expect(await receive(url)).toEqual([]);
    const [dead] = await receive(dlq);
    expect(dead).toMatchObject({
      MessageId,
      Body: 'poison',
      Attributes: { DeadLetterQueueSourceArn: expect.stringContaining(':flaky') },
    });
    expect(cloud.trace.find('sqs.redrive', (e) => e.messageId === MessageId)).toHaveLength(1);
    await expect(
      sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: url,
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 0 }) },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('sends and deletes in batches, each entry answered on its own, and purges', async () => {
    const url = await create('batch');
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'one', MessageBody: '1' },
          { Id: 'two', MessageBody: '2', DelaySeconds: 1000 },
          { Id: 'three', MessageBody: '3' },
        ],
      }),
    );
    expect(sent.Successful!.map((e) => e.Id)).toEqual(['one', 'three']);
    expect(sent.Failed).toEqual([
      expect.objectContaining({ Id: 'two', Code: 'InvalidParameterValue', SenderFault: true }),
    ]);
    const got = await receive(url, { MaxNumberOfMessages: 10 });
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: got.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
    expect(deleted.Successful).toHaveLength(2);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'left' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(await receive(url)).toEqual([]);
    await expect(sqs.send(new PurgeQueueCommand({ QueueUrl: url }))).rejects.toMatchObject({
      name: 'PurgeQueueInProgress',
    });
  });
});
