/**
 * osls's `stream` event on the local cloud: the real `osls package` of
 * test/fixtures/stream-service (serverless.yml, ES module handlers), deployed with no skipped
 * resource, then fed writes through the real DynamoDB client. The watcher copies each new
 * virus (its filter keeps INSERTs); the medic's batch holding a black virus is split, retried
 * once, and described to its dead-letter queue in AWS's failure record shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import {
  BatchWriteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LocalCloud } from '../../emulator/cloud.ts';
import type { DeployedStack } from '../../emulator/stack/provider.ts';
import { waitFor } from '../support/temp-service.ts';

describe('an osls service with dynamodb stream events', () => {
  let cloud: LocalCloud;
  let stack: DeployedStack;
  let ddb: DynamoDBClient;
  let sqs: SQSClient;
  const table = (id: string) => stack.resources.get(id)!.physicalId;
  const virus = (id: string, colour: string) => ({ id: { S: id }, colour: { S: colour } });

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 10, 21, 10, 0, 0) });
    stack = await cloud.deployService(resolve('test/fixtures/stream-service'));
    ddb = new DynamoDBClient(cloud.clientConfig());
    sqs = new SQSClient(cloud.clientConfig());
  }, 180_000);
  afterAll(async () => {
    ddb?.destroy();
    sqs?.destroy();
    await cloud?.stop();
  });

  it('deploys the stream, its ARN and both mappings osls generates, with no warning', () => {
    expect(stack.warnings).toEqual([]);
    const arn = String(stack.outputs.VirusStreamArn);
    // The label is the virtual time the stream was made (the clock runs while a deploy works).
    expect(arn).toMatch(
      new RegExp(
        `^arn:aws:dynamodb:eu-west-1:${cloud.accountId}:table/${table('VirusTable')}/stream/2026-11-21T10:00:\\d\\d\\.\\d{3}$`,
      ),
    );
    expect(cloud.eventSourceMappings.list({ EventSourceArn: arn })).toEqual([
      expect.objectContaining({ BatchSize: 10, StartingPosition: 'TRIM_HORIZON' }),
      expect.objectContaining({
        BatchSize: 4,
        StartingPosition: 'LATEST',
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: expect.stringMatching(/^arn:aws:sqs:/) } },
      }),
    ]);
  });

  it('hands the watcher each new virus, in order, and not the changes its filter leaves out', async () => {
    await ddb.send(new PutItemCommand({ TableName: table('VirusTable'), Item: virus('v1', 'red') }));
    await ddb.send(new PutItemCommand({ TableName: table('VirusTable'), Item: virus('v2', 'blue') }));
    await ddb.send(
      new UpdateItemCommand({
        TableName: table('VirusTable'),
        Key: { id: { S: 'v1' } },
        UpdateExpression: 'SET colour = :c',
        ExpressionAttributeValues: { ':c': { S: 'green' } },
      }),
    );
    await waitFor(
      () => cloud.trace.find('invoke.end', (e) => e.function === 'streams-local-watcher').length >= 2,
      'the watcher',
      45_000,
    );
    await waitFor(() => cloud.trace.find('esm.result').length >= 3, 'every batch', 45_000);
    const { Items = [] } = await ddb.send(new ScanCommand({ TableName: table('SightingTable') }));
    const seen = Items.map((i) => ({
      id: i.id.S,
      colour: i.colour.S,
      event: i.event.S,
      sequence: i.sequence.S,
    }));
    seen.sort((a, b) => (BigInt(a.sequence!) < BigInt(b.sequence!) ? -1 : 1));
    expect(seen.map(({ id, colour, event }) => ({ id, colour, event }))).toEqual([
      { id: 'v1', colour: 'red', event: 'INSERT' },
      { id: 'v2', colour: 'blue', event: 'INSERT' },
    ]);
    // The batch is traced as caused by the write that made its first record.
    const batch = cloud.trace.find('esm.batch', (e) => e.function.endsWith(':streams-local-watcher'))[0];
    expect(cloud.trace.all().find((e) => e.seq === batch.cause)).toMatchObject({
      kind: 'dynamodb.write',
      op: 'PutItem',
    });
  });

  it("splits the medic's failing batch, retries the bad record once, then tells the dead-letter queue", async () => {
    const medic = () => cloud.trace.find('invoke.end', (e) => e.function === 'streams-local-medic');
    // First the medic's batches of the three changes above (it reads from LATEST) are done.
    const { UUID } = cloud.eventSourceMappings.list({ FunctionName: 'streams-local-medic' })[0];
    const batches = () => cloud.trace.find('esm.batch', (e) => e.uuid === UUID);
    await waitFor(
      () =>
        batches().reduce((n, b) => n + b.records, 0) === 3 &&
        cloud.trace.find('esm.result', (e) => e.uuid === UUID).length === batches().length,
      "the medic's first batches",
      45_000,
    );
    const before = medic().length;
    await ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [table('VirusTable')]: [
            virus('m1', 'red'),
            virus('m2', 'blue'),
            virus('m3', 'black'),
            virus('m4', 'pink'),
          ].map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
    // [m1 m2 m3 m4] fails, [m1 m2] succeeds, [m3 m4] fails, [m3] fails: then a retry a second later.
    await waitFor(() => medic().length - before >= 4, 'the split batches', 45_000);
    const discarded = () => cloud.trace.find('esm.discard').length === 1;
    expect(await cloud.clock.advanceUntil(discarded, 10_000, 500)).toBe(true);
    await waitFor(() => medic().length - before >= 6, 'the last half', 45_000);
    expect(
      medic()
        .slice(before)
        .map((e) => e.ok),
    ).toEqual([false, true, false, false, false, true]);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: table('MedicDlq') }));
    expect(Messages).toHaveLength(1);
    const failure = JSON.parse(Messages[0].Body!);
    const m3 = cloud.dynamodb.streams
      .read(String(stack.outputs.VirusStreamArn), 0n, 100)
      .find((e) => e.record.dynamodb.Keys.id && (e.record.dynamodb.Keys.id as { S: string }).S === 'm3')!;
    const arrival = new Date(m3.record.dynamodb.ApproximateCreationDateTime * 1000).toISOString();
    expect(failure).toEqual({
      requestContext: {
        requestId: expect.any(String),
        functionArn: expect.stringMatching(/:function:streams-local-medic$/),
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 2,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.any(String),
      DDBStreamBatchInfo: {
        shardId: expect.stringMatching(/^shardId-/),
        startSequenceNumber: m3.record.dynamodb.SequenceNumber,
        endSequenceNumber: m3.record.dynamodb.SequenceNumber,
        approximateArrivalOfFirstRecord: arrival.replace('.000Z', 'Z'),
        approximateArrivalOfLastRecord: arrival.replace('.000Z', 'Z'),
        batchSize: 1,
        streamArn: String(stack.outputs.VirusStreamArn),
      },
    });
  });
});
