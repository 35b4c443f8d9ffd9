/**
 * DynamoDB Streams on the local cloud, through @aws-sdk/client-dynamodb and
 * @aws-sdk/client-dynamodb-streams (and the AWS CLI): StreamSpecification on CreateTable/UpdateTable and in
 * DescribeTable, one record per item changed by every write path (none for a write that
 * changes nothing; dynalite has no transactions), the images each view type keeps, and the read API's iterators, expiry,
 * retention and errors, as https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html
 * describes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LocalCloud } from '../../emulator/cloud.ts';

const run = promisify(execFile);

describe('DynamoDB Streams', () => {
  let cloud: LocalCloud;
  let ddb: DynamoDBClient;
  let streams: DynamoDBStreamsClient;

  const createTable = async (TableName: string, StreamViewType?: string) => {
    const out = await ddb.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        ...(StreamViewType
          ? { StreamSpecification: { StreamEnabled: true, StreamViewType: StreamViewType as 'NEW_IMAGE' } }
          : {}),
      }),
    );
    return out.TableDescription!;
  };
  /** Every record of the stream from its trim horizon. */
  const records = async (StreamArn: string): Promise<_Record[]> => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn }));
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn,
        ShardId: StreamDescription!.Shards![0].ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const all: _Record[] = [];
    for (;;) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 2 }));
      all.push(...page.Records!);
      if (!page.Records!.length || !page.NextShardIterator) return all;
      ShardIterator = page.NextShardIterator;
    }
  };
  const virus = (id: string, colour: string) => ({ id: { S: id }, colour: { S: colour } });

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 10, 21, 10, 0, 0) });
    ddb = new DynamoDBClient(cloud.clientConfig());
    streams = new DynamoDBStreamsClient(cloud.clientConfig());
  });
  afterAll(async () => {
    ddb?.destroy();
    streams?.destroy();
    await cloud?.stop();
  });

  it('gives a table with a StreamSpecification a stream, shown by DescribeTable and ListStreams', async () => {
    const created = await createTable('viruses', 'NEW_AND_OLD_IMAGES');
    // The label is the virtual time the stream was made (the clock runs while a call is served).
    const label = created.LatestStreamLabel!;
    expect(label).toMatch(/^2026-11-21T10:00:0\d\.\d{3}$/);
    const arn = `arn:aws:dynamodb:eu-west-1:${cloud.accountId}:table/viruses/stream/${label}`;
    expect(created).toMatchObject({
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      LatestStreamArn: arn,
    });
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: 'viruses' }));
    expect(Table?.LatestStreamArn).toBe(arn);
    expect(await streams.send(new ListStreamsCommand({ TableName: 'viruses' }))).toMatchObject({
      Streams: [{ StreamArn: arn, TableName: 'viruses', StreamLabel: label }],
    });
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    expect(StreamDescription).toMatchObject({
      StreamStatus: 'ENABLED',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      TableName: 'viruses',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      CreationRequestDateTime: new Date(`${label}Z`),
      Shards: [
        {
          ShardId: expect.stringMatching(/^shardId-\d{20}-[0-9a-f]{8}$/),
          SequenceNumberRange: expect.anything(),
        },
      ],
    });
    // A table without one has none.
    expect((await createTable('plain')).LatestStreamArn).toBeUndefined();
    await expect(createTable('wrongview', 'EVERYTHING')).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(ddb.send(new DescribeTableCommand({ TableName: 'wrongview' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('records each change of every write path, and nothing for a write that changes nothing', async () => {
    const TableName = 'viruses';
    await ddb.send(new PutItemCommand({ TableName, Item: virus('a', 'red') }));
    await ddb.send(new PutItemCommand({ TableName, Item: virus('a', 'red') })); // the same item
    await ddb.send(
      new UpdateItemCommand({
        TableName,
        Key: { id: { S: 'a' } },
        UpdateExpression: 'SET colour = :c',
        ExpressionAttributeValues: { ':c': { S: 'blue' } },
      }),
    );
    await ddb.send(
      new UpdateItemCommand({
        TableName,
        Key: { id: { S: 'a' } },
        UpdateExpression: 'SET colour = :c',
        ExpressionAttributeValues: { ':c': { S: 'blue' } },
      }),
    ); // the same value
    await ddb.send(new DeleteItemCommand({ TableName, Key: { id: { S: 'nobody' } } })); // nothing there
    await expect(
      ddb.send(
        new PutItemCommand({
          TableName,
          Item: virus('a', 'pink'),
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    await ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [TableName]: [
            { PutRequest: { Item: virus('b', 'green') } },
            { DeleteRequest: { Key: { id: { S: 'a' } } } },
          ],
          plain: [{ PutRequest: { Item: virus('p', 'grey') } }],
        },
      }),
    );
    // An UpdateItem on a key that is not there makes the item: an INSERT.
    await ddb.send(
      new UpdateItemCommand({
        TableName,
        Key: { id: { S: 'c' } },
        UpdateExpression: 'SET colour = :c',
        ExpressionAttributeValues: { ':c': { S: 'black' } },
      }),
    );
    const arn = (await ddb.send(new DescribeTableCommand({ TableName }))).Table!.LatestStreamArn!;
    const all = await records(arn);
    expect(all.map((r) => [r.eventName, r.dynamodb?.Keys?.id.S])).toEqual([
      ['INSERT', 'a'],
      ['MODIFY', 'a'],
      ['INSERT', 'b'],
      ['REMOVE', 'a'],
      ['INSERT', 'c'],
    ]);
    // Seconds, rounded down, on the virtual clock.
    for (const r of all) expect(r.dynamodb!.ApproximateCreationDateTime!.getUTCMilliseconds()).toBe(0);
    expect(all[0].dynamodb!.ApproximateCreationDateTime!.getTime()).toBeGreaterThanOrEqual(
      Date.UTC(2026, 10, 21, 10, 0, 0),
    );
    const seqs = all.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    expect(seqs).toEqual([...seqs].sort((x, y) => (x < y ? -1 : 1)));
    expect(new Set(all.map((r) => r.eventID)).size).toBe(all.length);
    expect(all[1]).toEqual({
      eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Date),
        Keys: { id: { S: 'a' } },
        OldImage: virus('a', 'red'),
        NewImage: virus('a', 'blue'),
        SequenceNumber: expect.stringMatching(/^\d{21}$/),
        // "id" + "a", twice "id" + "a" + "colour" + the colour.
        SizeBytes: 3 + (3 + 6 + 3) + (3 + 6 + 4),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
  });

  it('keeps the images each view type asks for, sized as AWS sizes them', async () => {
    const images: Record<string, unknown> = {};
    for (const view of ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY']) {
      const TableName = `view-${view.toLowerCase()}`;
      const arn = (await createTable(TableName, view)).LatestStreamArn!;
      // AWS's sample records (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html): 26 and 59 bytes.
      await ddb.send(
        new PutItemCommand({ TableName, Item: { id: { S: '101' }, Message: { S: 'New item!' } } }),
      );
      await ddb.send(
        new PutItemCommand({
          TableName,
          Item: { id: { S: '101' }, Message: { S: 'This item has changed' } },
        }),
      );
      const [insert, modify] = await records(arn);
      images[view] = [insert, modify].map((r) => ({
        keys: Object.keys(r.dynamodb!)
          .filter((k) => k === 'NewImage' || k === 'OldImage')
          .sort(),
        size: r.dynamodb!.SizeBytes,
      }));
    }
    // Keys 5 bytes ("id" + "101"); the images 21 ("Message" + "New item!" + the key) and 33.
    expect(images).toEqual({
      NEW_IMAGE: [
        { keys: ['NewImage'], size: 26 },
        { keys: ['NewImage'], size: 38 },
      ],
      OLD_IMAGE: [
        { keys: [], size: 5 },
        { keys: ['OldImage'], size: 26 },
      ],
      NEW_AND_OLD_IMAGES: [
        { keys: ['NewImage'], size: 26 },
        { keys: ['NewImage', 'OldImage'], size: 59 },
      ],
      KEYS_ONLY: [
        { keys: [], size: 5 },
        { keys: [], size: 5 },
      ],
    });
  });

  it('reads from LATEST, AT_ and AFTER_SEQUENCE_NUMBER; iterators expire after 15 minutes, records after 24 hours', async () => {
    const TableName = 'clocked';
    const StreamArn = (await createTable(TableName, 'KEYS_ONLY')).LatestStreamArn!;
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn }));
    const ShardId = StreamDescription!.Shards![0].ShardId!;
    const iterator = async (ShardIteratorType: string, SequenceNumber?: string) =>
      (
        await streams.send(
          new GetShardIteratorCommand({
            StreamArn,
            ShardId,
            ShardIteratorType: ShardIteratorType as 'LATEST',
            SequenceNumber,
          }),
        )
      ).ShardIterator!;
    const latest = await iterator('LATEST');
    expect((await streams.send(new GetRecordsCommand({ ShardIterator: latest }))).Records).toEqual([]);
    for (const id of ['x', 'y', 'z'])
      await ddb.send(new PutItemCommand({ TableName, Item: { id: { S: id } } }));
    const fromLatest = await streams.send(new GetRecordsCommand({ ShardIterator: latest }));
    expect(fromLatest.Records!.map((r) => r.dynamodb!.Keys!.id.S)).toEqual(['x', 'y', 'z']);
    const y = fromLatest.Records![1].dynamodb!.SequenceNumber!;
    const ids = async (it: string) =>
      (await streams.send(new GetRecordsCommand({ ShardIterator: it }))).Records!.map(
        (r) => r.dynamodb!.Keys!.id.S,
      );
    expect(await ids(await iterator('AT_SEQUENCE_NUMBER', y))).toEqual(['y', 'z']);
    expect(await ids(await iterator('AFTER_SEQUENCE_NUMBER', y))).toEqual(['z']);
    // The next iterator waits at the end for what comes.
    await ddb.send(new PutItemCommand({ TableName, Item: { id: { S: 'w' } } }));
    expect(await ids(fromLatest.NextShardIterator!)).toEqual(['w']);

    await cloud.clock.advance(16 * 60_000);
    await expect(streams.send(new GetRecordsCommand({ ShardIterator: latest }))).rejects.toMatchObject({
      name: 'ExpiredIteratorException',
    });
    await cloud.clock.advance(24 * 3600_000);
    expect(await ids(await iterator('TRIM_HORIZON'))).toEqual([]);
    await expect(iterator('AT_SEQUENCE_NUMBER', y)).rejects.toMatchObject({
      name: 'TrimmedDataAccessException',
    });
    await expect(
      streams.send(new GetRecordsCommand({ ShardIterator: 'not an iterator' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      streams.send(new DescribeStreamCommand({ StreamArn: `${StreamArn.slice(0, -3)}999` })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('closes the shard when the stream is disabled, and makes a new stream when it is enabled again', async () => {
    const TableName = 'toggled';
    const first = (await createTable(TableName, 'NEW_IMAGE')).LatestStreamArn!;
    await ddb.send(new PutItemCommand({ TableName, Item: { id: { S: 'one' } } }));
    await expect(
      ddb.send(
        new UpdateTableCommand({
          TableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('already has an enabled stream'),
    });
    const off = await ddb.send(
      new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: false } }),
    );
    expect(off.TableDescription).toMatchObject({
      StreamSpecification: { StreamEnabled: false },
      LatestStreamArn: first,
    });
    await ddb.send(new PutItemCommand({ TableName, Item: { id: { S: 'unseen' } } }));
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: first }));
    expect(StreamDescription).toMatchObject({
      StreamStatus: 'DISABLED',
      Shards: [{ SequenceNumberRange: { EndingSequenceNumber: expect.stringMatching(/^\d{21}$/) } }],
    });
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: first,
        ShardId: StreamDescription!.Shards![0].ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
    expect(page.Records!.map((r) => r.dynamodb!.Keys!.id.S)).toEqual(['one']);
    expect(page.NextShardIterator).toBeUndefined();

    await cloud.clock.advance(1);
    const on = await ddb.send(
      new UpdateTableCommand({
        TableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );
    expect(on.TableDescription!.LatestStreamArn).not.toBe(first);
    const listed = await streams.send(new ListStreamsCommand({ TableName }));
    expect(listed.Streams!.map((s) => s.StreamArn)).toEqual([first, on.TableDescription!.LatestStreamArn]);
  });

  it('serves the AWS CLI: update-table turns a stream on, dynamodbstreams reads it', async () => {
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: 'eu-west-1',
    };
    const aws = async (...args: string[]) =>
      JSON.parse(
        (await run('aws', ['--endpoint-url', cloud.endpoint, '--output', 'json', ...args], { env })).stdout,
      );
    await createTable('cli');
    const { TableDescription } = await aws(
      'dynamodb',
      'update-table',
      '--table-name',
      'cli',
      '--stream-specification',
      'StreamEnabled=true,StreamViewType=NEW_IMAGE',
    );
    await ddb.send(new PutItemCommand({ TableName: 'cli', Item: virus('k', 'cyan') }));
    const arn = TableDescription.LatestStreamArn;
    const { StreamDescription } = await aws('dynamodbstreams', 'describe-stream', '--stream-arn', arn);
    const { ShardIterator } = await aws(
      'dynamodbstreams',
      'get-shard-iterator',
      '--stream-arn',
      arn,
      '--shard-id',
      StreamDescription.Shards[0].ShardId,
      '--shard-iterator-type',
      'TRIM_HORIZON',
    );
    const { Records } = await aws('dynamodbstreams', 'get-records', '--shard-iterator', ShardIterator);
    expect(Records).toMatchObject([{ eventName: 'INSERT', dynamodb: { NewImage: virus('k', 'cyan') } }]);
  });
});
