/**
 * A Distributed Map that reads its items from S3 (ItemReader) and writes its results to S3
 * (ResultWriter), through the real SDK: S3 PutObject, then StartExecution, then the objects
 * the Map wrote, read back with GetObject. Sources: AWS's "ItemReader (Map)"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html) and
 * "ResultWriter (Map)" (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  SFNClient,
  StartExecutionCommand,
  TestStateCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { LocalCloud } from '../../emulator/index.ts';

const ROLE = 'arn:aws:iam::123456789012:role/sfn';
const DISTRIBUTED = { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' };
/** Each child returns its item with a mark, so that what ran on which item shows in the output. */
const MARK = {
  ProcessorConfig: DISTRIBUTED,
  StartAt: 'Mark',
  States: { Mark: { Type: 'Pass', Parameters: { 'item.$': '$', seen: true }, End: true } },
};

describe('Distributed Map with ItemReader and ResultWriter on the local S3, through the SDK', () => {
  let cloud: LocalCloud;
  let sfn: SFNClient;
  let s3: S3Client;
  let count = 0;

  const put = (Key: string, Body: string) => s3.send(new PutObjectCommand({ Bucket: 'lab', Key, Body }));
  const read = async (Bucket: string, Key: string) =>
    JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString());
  /** Creates a one-Map machine, runs it on `input`, and gives the ended execution. */
  const execute = async (
    map: Record<string, unknown>,
    input: unknown = {},
    top: object = {},
    after: Record<string, unknown> = {},
  ) => {
    const items = { Type: 'Map', ...(map.Next ? {} : { End: true }), ...map };
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: `s3-map-${++count}`,
        roleArn: ROLE,
        definition: JSON.stringify({ ...top, StartAt: 'Items', States: { Items: items, ...after } }),
      }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
    );
    let d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    for (let i = 0; d.status === 'RUNNING' && i < 50; i++) {
      await cloud.clock.advance(1000);
      d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    }
    return { ...d, output: d.output === undefined ? undefined : JSON.parse(d.output) };
  };

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 11, 1, 9, 0, 0) });
    sfn = new SFNClient(cloud.clientConfig());
    s3 = new S3Client({ ...cloud.clientConfig(), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'lab' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'results' }));
  });
  afterAll(async () => {
    sfn?.destroy();
    s3?.destroy();
    await cloud?.stop();
  });

  it('reads a JSON array from s3:getObject, the Bucket and Key taken from the input, MaxItems keeping the first ones', async () => {
    await put('waves/w1.json', JSON.stringify([{ slot: 1 }, { slot: 2 }, { slot: 3 }]));
    const d = await execute(
      {
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.key' },
          ReaderConfig: { InputType: 'JSON', MaxItems: 2 },
        },
        ItemProcessor: MARK,
      },
      { bucket: 'lab', key: 'waves/w1.json' },
    );
    expect(d.status).toBe('SUCCEEDED');
    expect(d.output).toEqual([
      { item: { slot: 1 }, seen: true },
      { item: { slot: 2 }, seen: true },
    ]);
  });

  it('reads JSON Lines, one item a line, in JSONata with Arguments', async () => {
    await put('waves/w2.jsonl', '{"slot":1}\n{"slot":2}\n\n');
    const d = await execute(
      {
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          Arguments: { Bucket: 'lab', Key: "{% 'waves/' & $states.input.wave & '.jsonl' %}" },
          ReaderConfig: { InputType: 'JSONL' },
        },
        ItemProcessor: {
          ProcessorConfig: DISTRIBUTED,
          StartAt: 'Mark',
          States: { Mark: { Type: 'Pass', Output: '{% $states.input.slot * 10 %}', End: true } },
        },
      },
      { wave: 'w2' },
      { QueryLanguage: 'JSONata' },
    );
    expect(d.status).toBe('SUCCEEDED');
    expect(d.output).toEqual([10, 20]);
  });

  it('reads a CSV file: one object a row keyed by the first row, every value a string, quotes and all', async () => {
    await put('viruses.csv', 'id,name,strength\r\nv1,"Flu, the old one",90\r\nv2,"say ""hi""",20\r\n');
    const d = await execute({
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        Parameters: { Bucket: 'lab', Key: 'viruses.csv' },
        ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
      },
      ItemProcessor: MARK,
    });
    expect(d.output.map((r: { item: unknown }) => r.item)).toEqual([
      { id: 'v1', name: 'Flu, the old one', strength: '90' },
      { id: 'v2', name: 'say "hi"', strength: '20' },
    ]);
  });

  it('reads a headerless CSV with CSVHeaders given and another delimiter', async () => {
    await put('plain.csv', 'v1;90\nv2;20\n');
    const d = await execute({
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        Parameters: { Bucket: 'lab', Key: 'plain.csv' },
        ReaderConfig: {
          InputType: 'CSV',
          CSVHeaderLocation: 'GIVEN',
          CSVHeaders: ['id', 'strength'],
          CSVDelimiter: 'SEMICOLON',
        },
      },
      ItemProcessor: MARK,
    });
    expect(d.output.map((r: { item: unknown }) => r.item)).toEqual([
      { id: 'v1', strength: '90' },
      { id: 'v2', strength: '20' },
    ]);
  });

  it('lists objects with s3:listObjectsV2: each object under the Prefix is an item', async () => {
    await put('samples/a.txt', 'AAAA');
    await put('samples/b.txt', 'BB');
    const d = await execute({
      ItemReader: {
        Resource: 'arn:aws:states:::s3:listObjectsV2',
        Parameters: { Bucket: 'lab', Prefix: 'samples/' },
      },
      ItemProcessor: MARK,
    });
    expect(d.status).toBe('SUCCEEDED');
    const items = d.output.map((r: { item: unknown }) => r.item);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'lab', Key: 'samples/a.txt' }));
    expect(items).toEqual([
      {
        Etag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
        Key: 'samples/a.txt',
        // Unix seconds, where S3's own answer has a date.
        LastModified: Math.floor(head.LastModified!.getTime() / 1000),
        Size: 4,
        StorageClass: 'STANDARD',
      },
      expect.objectContaining({ Key: 'samples/b.txt', Size: 2 }),
    ]);
  });

  it('fails with States.ItemReaderFailed, S3 saying what is missing, when the key is not there (and a Catch can take it)', async () => {
    const reader = {
      Resource: 'arn:aws:states:::s3:getObject',
      Parameters: { Bucket: 'lab', Key: 'nowhere.json' },
      ReaderConfig: { InputType: 'JSON' },
    };
    const d = await execute({ ItemReader: reader, ItemProcessor: MARK });
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('States.ItemReaderFailed');
    expect(d.cause).toMatch(
      /^The specified key does not exist\. \(Service: Amazon S3; Status Code: 404; Error Code: NoSuchKey;/,
    );

    const caught = await execute(
      {
        ItemReader: { ...reader, Parameters: { Bucket: 'no-such-bucket', Key: 'x.json' } },
        ItemProcessor: MARK,
        Catch: [{ ErrorEquals: ['States.ItemReaderFailed'], ResultPath: '$.error', Next: 'Recovered' }],
        Next: 'Recovered',
      },
      { wave: 'w9' },
      {},
      { Recovered: { Type: 'Pass', End: true } },
    );
    expect(caught.status).toBe('SUCCEEDED');
    expect(caught.output).toEqual({
      wave: 'w9',
      error: {
        Error: 'States.ItemReaderFailed',
        Cause: expect.stringMatching(
          /^The specified bucket does not exist \(Service: Amazon S3; Status Code: 404; Error Code: NoSuchBucket;/,
        ),
      },
    });
  });

  it('writes SUCCEEDED_0.json, FAILED_0.json and manifest.json under Prefix/<map run id>/, and returns ResultWriterDetails', async () => {
    await put('mixed.json', JSON.stringify([{ n: 1 }, { n: -1 }, { n: 2 }]));
    const d = await execute({
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        Parameters: { Bucket: 'lab', Key: 'mixed.json' },
        ReaderConfig: { InputType: 'JSON' },
      },
      ItemProcessor: {
        ProcessorConfig: DISTRIBUTED,
        StartAt: 'Check',
        States: {
          Check: {
            Type: 'Choice',
            Choices: [{ Variable: '$.n', NumericLessThan: 0, Next: 'Refuse' }],
            Default: 'Double',
          },
          Refuse: { Type: 'Fail', Error: 'Negative', Cause: 'n is below zero' },
          Double: { Type: 'Pass', Parameters: { 'twice.$': 'States.MathAdd($.n, $.n)' }, End: true },
        },
      },
      ToleratedFailureCount: 1,
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: 'results', Prefix: 'runs' },
      },
    });
    expect(d.status).toBe('SUCCEEDED');
    const mapRunArn: string = d.output.MapRunArn;
    const id = mapRunArn.split(':').at(-1);
    expect(mapRunArn).toMatch(/^arn:aws:states:[^:]+:123456789012:mapRun:s3-map-\d+\/Items:[0-9a-f-]{36}$/);
    expect(d.output).toEqual({
      MapRunArn: mapRunArn,
      ResultWriterDetails: { Bucket: 'results', Key: `runs/${id}/manifest.json` },
    });

    const manifest = await read('results', `runs/${id}/manifest.json`);
    expect(manifest).toEqual({
      DestinationBucket: 'results',
      MapRunArn: mapRunArn,
      ResultFiles: {
        FAILED: [{ Key: `runs/${id}/FAILED_0.json`, Size: expect.any(Number) }],
        PENDING: [],
        SUCCEEDED: [{ Key: `runs/${id}/SUCCEEDED_0.json`, Size: expect.any(Number) }],
      },
    });
    const succeeded = await read('results', `runs/${id}/SUCCEEDED_0.json`);
    expect(
      succeeded.map((r: { Input: string; Output: string }) => [JSON.parse(r.Input), JSON.parse(r.Output)]),
    ).toEqual([
      [{ n: 1 }, { twice: 2 }],
      [{ n: 2 }, { twice: 4 }],
    ]);
    expect(succeeded[0]).toMatchObject({
      ExecutionArn: expect.stringContaining(':execution:'),
      InputDetails: { Included: true },
      OutputDetails: { Included: true },
      Status: 'SUCCEEDED',
      StateMachineArn: expect.stringMatching(/:stateMachine:s3-map-\d+\/Items$/),
      RedriveStatus: 'NOT_REDRIVABLE',
    });
    const failed = await read('results', `runs/${id}/FAILED_0.json`);
    expect(failed).toEqual([
      expect.objectContaining({
        Input: '{"n":-1}',
        Status: 'FAILED',
        Error: 'Negative',
        Cause: 'n is below zero',
      }),
    ]);
    const run = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(run.itemCounts?.resultsWritten).toBe(3);
  });

  it('writes the outputs only with WriterConfig Transformation COMPACT, arrays flattened with FLATTEN, and no FAILED file when none failed', async () => {
    const pairs = {
      Items: [1, 2],
      ItemProcessor: {
        ProcessorConfig: DISTRIBUTED,
        StartAt: 'Pair',
        States: { Pair: { Type: 'Pass', Output: '{% [$states.input, $states.input * 10] %}', End: true } },
      },
    };
    const files = async (transformation: string) => {
      const d = await execute(
        {
          ...pairs,
          ResultWriter: {
            Resource: 'arn:aws:states:::s3:putObject',
            Arguments: { Bucket: 'results', Prefix: `${transformation.toLowerCase()}/` },
            WriterConfig: { Transformation: transformation, OutputType: 'JSON' },
          },
        },
        {},
        { QueryLanguage: 'JSONata' },
      );
      const manifest = await read('results', d.output.ResultWriterDetails.Key);
      expect(manifest.ResultFiles.FAILED).toEqual([]);
      return read('results', manifest.ResultFiles.SUCCEEDED[0].Key);
    };
    expect(await files('COMPACT')).toEqual([
      [1, 10],
      [2, 20],
    ]);
    expect(await files('FLATTEN')).toEqual([1, 10, 2, 20]);
  });

  it('fails with States.ResultWriterFailed when the results bucket is not there', async () => {
    const d = await execute(
      {
        Items: [1],
        ItemProcessor: {
          ProcessorConfig: DISTRIBUTED,
          StartAt: 'P',
          States: { P: { Type: 'Pass', End: true } },
        },
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: 'no-such-bucket', Prefix: 'x' },
        },
      },
      {},
      { QueryLanguage: 'JSONata' },
    );
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('States.ResultWriterFailed');
    expect(d.cause).toMatch(
      /^The specified bucket does not exist \(Service: Amazon S3; Status Code: 404; Error Code: NoSuchBucket;/,
    );
  });

  it('TestState with a mocked result reads nothing from S3: the mock stands for the whole Map', async () => {
    const out = await sfn.send(
      new TestStateCommand({
        roleArn: ROLE,
        definition: JSON.stringify({
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            Parameters: { Bucket: 'lab', Key: 'not-uploaded-yet.csv' },
            ReaderConfig: { InputType: 'CSV' },
          },
          ItemProcessor: MARK,
          End: true,
        }),
        input: '{}',
        mock: { result: JSON.stringify([{ id: 'v1' }]) },
      }),
    );
    expect(out.status).toBe('SUCCEEDED');
    expect(JSON.parse(out.output!)).toEqual([{ id: 'v1' }]);
  });

  it('refuses, naming it, what the local cloud does not read or write: Parquet, ItemsPointer, JSONL results', async () => {
    const validate = async (map: Record<string, unknown>) =>
      (
        await sfn.send(
          new ValidateStateMachineDefinitionCommand({
            definition: JSON.stringify({
              StartAt: 'Items',
              States: { Items: { Type: 'Map', ItemProcessor: MARK, ...map, End: true } },
            }),
          }),
        )
      ).diagnostics?.map((d) => `${d.code} ${d.message}`);
    const getObject = { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'lab', Key: 'k' } };
    expect(await validate({ ItemReader: { ...getObject, ReaderConfig: { InputType: 'PARQUET' } } })).toEqual([
      expect.stringContaining(
        'UNSUPPORTED_BY_LOCAL_CLOUD The local cloud does not support the ItemReader InputType "PARQUET"',
      ),
    ]);
    expect(
      await validate({
        ItemReader: { ...getObject, ReaderConfig: { InputType: 'JSON', ItemsPointer: '/items' } },
      }),
    ).toEqual([expect.stringContaining('the ItemReader field ItemsPointer')]);
    expect(
      await validate({
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: 'results' },
          WriterConfig: { OutputType: 'JSONL' },
        },
      }),
    ).toEqual([expect.stringContaining('the ResultWriter OutputType "JSONL"')]);
    expect(await validate({ ItemReader: { ...getObject, ReaderConfig: { InputType: 'CSV' } } })).toEqual([]);
  });
});
