/**
 * osls's `sqs` event on the local cloud: the real `osls package` of test/fixtures/queue-service
 * (serverless.ts, TypeScript handlers) and test/fixtures/queue-service-yml (serverless.yml,
 * CommonJS handler, a FIFO queue), deployed without a skipped resource, then fed messages that
 * end up where a learner would look: DynamoDB and the dead-letter queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LocalCloud } from '../../emulator/cloud.ts';
import type { DeployedStack } from '../../emulator/stack/provider.ts';
import { waitFor } from '../support/temp-service.ts';

describe('osls services with sqs events', () => {
  let cloud: LocalCloud;
  let ts: DeployedStack;
  let yml: DeployedStack;
  let ddb: DynamoDBClient;
  let sqs: SQSClient;
  let lambda: LambdaClient;
  const items = async (stack: DeployedStack) =>
    (await ddb.send(new ScanCommand({ TableName: stack.resources.get('VirusTable')!.physicalId }))).Items ??
    [];

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 10, 21, 10, 0, 0) });
    ts = await cloud.deployService(resolve('test/fixtures/queue-service'));
    yml = await cloud.deployService(resolve('test/fixtures/queue-service-yml'));
    ddb = new DynamoDBClient(cloud.clientConfig());
    sqs = new SQSClient(cloud.clientConfig());
    lambda = new LambdaClient(cloud.clientConfig());
  }, 180_000);
  afterAll(async () => {
    ddb?.destroy();
    sqs?.destroy();
    lambda?.destroy();
    await cloud?.stop();
  });

  it('deploys what osls generates, the event source mapping included, with no warning', () => {
    for (const stack of [ts, yml]) {
      expect(stack.warnings).toEqual([]);
      expect(
        [...stack.resources.values()].filter((r) => r.type === 'AWS::Lambda::EventSourceMapping'),
      ).toHaveLength(1);
    }
    expect(cloud.eventSourceMappings.list({ FunctionName: 'queues-local-worker' })).toEqual([
      expect.objectContaining({
        BatchSize: 5,
        MaximumBatchingWindowInSeconds: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    ]);
  });

  it('runs the worker on what a function queues, and dead-letters what it keeps failing', async () => {
    await lambda.send(
      new InvokeCommand({
        FunctionName: 'queues-local-spawn',
        Payload: JSON.stringify({ colours: ['red', 'blue'] }),
      }),
    );
    const url = String(ts.outputs.VirusQueueUrl);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"not":"a virus"}' }));
    // The batching window gathers for 10 s before the first batch.
    await cloud.clock.advance(10_000);
    await waitFor(() => cloud.trace.find('esm.result').length >= 1, 'the first batch');
    await waitFor(
      () => cloud.trace.find('esm.result').length >= 1 && cloud.trace.find('sqs.delete').length >= 2,
      'the deletes',
    );
    expect((await items(ts)).map((i) => i.colour.S).sort()).toEqual(['blue', 'red']);
    // The bad message comes back after the 30 s visibility timeout, fails again, then is redriven.
    await cloud.clock.advance(40_000);
    await waitFor(() => cloud.trace.find('esm.result').length >= 2, 'the second batch');
    await cloud.clock.advance(40_000);
    const dlq = ts.resources.get('VirusDlq')!.physicalId;
    await waitFor(() => cloud.trace.find('sqs.redrive').length === 1, 'the redrive');
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq }));
    expect(Messages.map((m) => m.Body)).toEqual(['{"not":"a virus"}']);
  });

  it('delivers a FIFO queue in order to the CommonJS worker of the YAML service', async () => {
    const url = yml.resources.get('VirusQueue')!.physicalId;
    for (const body of ['first', 'second', 'third'])
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: 'board' }));
    await waitFor(() => cloud.trace.find('esm.result', (e) => e.ok).length >= 2, 'the FIFO batch');
    await waitFor(
      () => cloud.sqs.all().find((q) => q.name === 'queuesyml-viruses.fifo')?.inFlight === 0,
      'the deletes',
    );
    const written = (await items(yml)).sort((a, b) => (BigInt(a.id.S!) < BigInt(b.id.S!) ? -1 : 1));
    expect(written.map((i) => i.body.S)).toEqual(['first', 'second', 'third']);
  });
});
