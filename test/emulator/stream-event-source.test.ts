/**
 * Lambda event source mappings on DynamoDB streams, through @aws-sdk/client-lambda and
 * @aws-sdk/client-dynamodb, with real handlers in sandboxes, on the virtual clock: the
 * batching window, filters on the record's `dynamodb` fields, partial batch responses (the
 * lowest failed sequence number is the checkpoint), MaximumRecordAgeInSeconds, the checks
 * at creation, as https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html and
 * services-ddb-batchfailurereporting.html describe them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { LocalCloud } from '../../emulator/cloud.ts';
import { functionsTemplate, tempService, waitFor } from '../support/temp-service.ts';

const service = tempService({
  // Fails the records of "bad" viruses (reported by sequence number).
  'functions/recorder.ts': `
type R = { dynamodb: { SequenceNumber: string; NewImage?: { colour?: { S: string } } } };
export const main = async (event: { Records: R[] }) => ({
  batchItemFailures: event.Records.filter((r) => r.dynamodb.NewImage?.colour?.S === 'bad').map((r) => ({
    itemIdentifier: r.dynamodb.SequenceNumber,
  })),
});`,
  'functions/crash.ts': `export const main = async () => { throw new Error('boom'); };`,
});

describe('Lambda event source mappings on DynamoDB streams', () => {
  let cloud: LocalCloud;
  let lambda: LambdaClient;
  let ddb: DynamoDBClient;
  const table = async (TableName: string) =>
    (
      await ddb.send(
        new CreateTableCommand({
          TableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        }),
      )
    ).TableDescription!.LatestStreamArn!;
  const put = (TableName: string, id: string, colour: string) =>
    ddb.send(new PutItemCommand({ TableName, Item: { id: { S: id }, colour: { S: colour } } }));
  /** The ids in each batch a function received, in order. */
  const batchesOf = (fn: string) =>
    cloud.trace
      .find('invoke.start', (e) => e.function === `test-local-${fn}`)
      .map((e) =>
        (e.event as { Records: Array<{ dynamodb: { Keys: { id: { S: string } } } }> }).Records.map(
          (r) => r.dynamodb.Keys.id.S,
        ),
      );
  const statements = [
    {
      Effect: 'Allow',
      Action: [
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ],
      Resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/*/stream/*',
    },
  ];

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 10, 21, 10, 0, 0) });
    lambda = new LambdaClient(cloud.clientConfig());
    ddb = new DynamoDBClient(cloud.clientConfig());
    await cloud.deployTemplate(
      functionsTemplate(
        { recorder: { handler: 'functions/recorder.main' }, crash: { handler: 'functions/crash.main' } },
        statements,
      ),
      { serviceDir: service.dir, stackName: 'test-local' },
    );
  }, 60_000);
  afterAll(async () => {
    lambda?.destroy();
    ddb?.destroy();
    await cloud?.stop();
    service.remove();
  });

  it('gathers for the batching window, and retries from the first record the function reports', async () => {
    const arn = await table('windowed');
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'test-local-recorder',
        EventSourceArn: arn,
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 3,
        MaximumBatchingWindowInSeconds: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 1,
      }),
    );
    expect(created).toMatchObject({
      State: 'Creating',
      BatchSize: 3,
      StartingPosition: 'TRIM_HORIZON',
      MaximumRetryAttempts: 1,
      MaximumRecordAgeInSeconds: -1,
      BisectBatchOnFunctionError: false,
      ParallelizationFactor: 1,
    });
    await put('windowed', 'a', 'red');
    await put('windowed', 'b', 'blue');
    await new Promise((r) => setImmediate(r));
    expect(batchesOf('recorder')).toEqual([]);
    await cloud.clock.advance(5000);
    await waitFor(() => batchesOf('recorder').length === 1, 'the batch after the window', 45_000);
    // A full batch goes at once; "b2" fails, so "c" and "d" come again with it, "a2" not.
    await put('windowed', 'a2', 'red');
    await put('windowed', 'b2', 'bad');
    await put('windowed', 'c', 'green');
    await waitFor(() => batchesOf('recorder').length === 2, 'the full batch', 45_000);
    // The retry comes a virtual second after the failure.
    const discarded = () => cloud.trace.find('esm.discard').length === 1;
    expect(await cloud.clock.advanceUntil(discarded, 10_000, 500)).toBe(true);
    expect(batchesOf('recorder')).toEqual([
      ['a', 'b'],
      ['a2', 'b2', 'c'],
      ['b2', 'c'],
    ]);
    expect(cloud.trace.find('esm.discard')[0]).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      records: 2,
      eventSourceArn: arn,
    });
    expect(await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).toMatchObject({
      State: 'Enabled',
      LastProcessingResult: 'PROBLEM: Function call failed',
    });
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
  });

  it('passes over what its filter does not match, and gives up records older than MaximumRecordAgeInSeconds', async () => {
    const arn = await table('aged');
    const { UUID } = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'test-local-crash',
        EventSourceArn: arn,
        StartingPosition: 'LATEST',
        MaximumRecordAgeInSeconds: 60,
        FilterCriteria: {
          Filters: [{ Pattern: JSON.stringify({ dynamodb: { NewImage: { colour: { S: ['red'] } } } }) }],
        },
      }),
    );
    await put('aged', 'blue-one', 'blue');
    await put('aged', 'red-one', 'red');
    await waitFor(() => batchesOf('crash').length === 1, 'the first try', 45_000);
    // Tried at 0, 1, 3, 7, 15 and 31 s (the waits double); at 63 s it is past 60 s old: given up.
    const start = cloud.clock.now();
    const discarded = () => cloud.trace.find('esm.discard', (e) => e.uuid === UUID).length === 1;
    expect(await cloud.clock.advanceUntil(discarded, 300_000, 4000)).toBe(true);
    expect(cloud.clock.now() - start).toBeGreaterThan(60_000);
    expect(batchesOf('crash')).toHaveLength(6);
    expect(new Set(batchesOf('crash').flat())).toEqual(new Set(['red-one']));
    expect(cloud.trace.find('esm.discard', (e) => e.uuid === UUID)[0]).toMatchObject({
      condition: 'RecordAgeExceeded',
      records: 1,
    });
    // The shard moves on: a later record is tried.
    await put('aged', 'red-two', 'red');
    await waitFor(() => batchesOf('crash').flat().includes('red-two'), 'the next record', 45_000);
    const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: false }));
    expect(updated).toMatchObject({
      State: 'Updating',
      StartingPosition: 'LATEST',
      MaximumRecordAgeInSeconds: 60,
    });
    // Enabled again, it resumes at its checkpoint: "red-two" (never processed) comes again,
    // with what came meanwhile.
    await put('aged', 'red-three', 'red');
    const seen = batchesOf('crash').length;
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: true }));
    await waitFor(() => batchesOf('crash').length > seen, 'the batch after enabling', 45_000);
    expect(batchesOf('crash')[seen]).toEqual(['red-two', 'red-three']);
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID }));
  });

  it('refuses what AWS refuses, and a role that may not read the stream, saying what to change', async () => {
    const arn = await table('checked');
    const create = (input: Record<string, unknown>) =>
      lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'test-local-recorder',
          EventSourceArn: arn,
          ...input,
        }),
      );
    const refusal = (message: string) => ({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining(message),
    });
    await expect(create({})).rejects.toMatchObject(refusal('StartingPosition is required'));
    await expect(create({ StartingPosition: 'AT_TIMESTAMP' })).rejects.toMatchObject(
      refusal('TRIM_HORIZON or LATEST'),
    );
    await expect(create({ StartingPosition: 'LATEST', BatchSize: 10_001 })).rejects.toMatchObject(
      refusal('BatchSize'),
    );
    await expect(create({ StartingPosition: 'LATEST', MaximumRecordAgeInSeconds: 30 })).rejects.toMatchObject(
      refusal('between 60 and 604800'),
    );
    await expect(
      create({
        StartingPosition: 'LATEST',
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:eu-west-1:123456789012:alarms' } },
      }),
    ).rejects.toMatchObject(refusal('SQS queues only'));
    const other = functionsTemplate({ reader: { handler: 'functions/recorder.main' } });
    other.Resources.IamRoleLambdaExecution.Properties.RoleName = 'reader-role';
    await cloud.deployTemplate(other, { serviceDir: service.dir, stackName: 'reader-local' });
    await expect(
      lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'test-local-reader',
          EventSourceArn: arn,
          StartingPosition: 'LATEST',
        }),
      ),
    ).rejects.toMatchObject(refusal('must allow dynamodb:DescribeStream'));
  });
});
