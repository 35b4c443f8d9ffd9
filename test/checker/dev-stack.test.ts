/**
 * `npm run dev`'s stack is a CloudFormation stack like any other: DescribeStacks (through the
 * SDK and the AWS CLI) lists it with its outputs, and a redeploy on save is an update of it. A
 * restart of the dev cloud on the same data folder keeps what DynamoDB kept already, and S3's
 * buckets and objects and the stacks made through CloudFormation's API too, their resources
 * brought back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { realOsls } from '../../checker/aws/osls.ts';
import { startDev, type DevServer } from '../../checker/commands/dev.ts';
import { deployLocally, localCloudEnv } from '../../checker/core/local-deploy.ts';
import { copyWithEdits } from '../../checker/core/service-copy.ts';
import { waitFor } from '../support/temp-service.ts';
import { capture } from './support.ts';

const run = promisify(execFile);

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::photos/*' },
  ],
});

describe("npm run dev's stack in CloudFormation, and what a restart keeps", () => {
  const root = resolve('.dojo', 'tmp', `dev-stack-${randomBytes(4).toString('hex')}`);
  const dataDir = join(root, '.dojo', 'dev-data');
  const service = copyWithEdits(resolve('test/fixtures/mini-service'), []);
  const out = capture();
  let dev: DevServer;

  const start = () => startDev({ dir: service.dir, port: 0, dataDir, root, print: out.print, log: false });
  const clients = () => ({
    cf: new CloudFormationClient(dev.cloud.clientConfig()),
    s3: new S3Client({ ...dev.cloud.clientConfig(), forcePathStyle: true }),
    sqs: new SQSClient(dev.cloud.clientConfig()),
  });
  const stackOf = async (cf: CloudFormationClient, name: string) =>
    (await cf.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0];

  beforeAll(async () => {
    mkdirSync(root, { recursive: true });
    dev = await start();
  });
  afterAll(async () => {
    await dev?.stop();
    service.remove();
    rmSync(root, { recursive: true, force: true });
  });

  it('DescribeStacks lists the dev stack with its outputs, for the SDK and the AWS CLI', async () => {
    const { cf } = clients();
    const stack = await stackOf(cf, 'mini-local');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const deployed = dev.cloud.stacks.get('mini-local')!;
    const outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs.HttpApiUrl).toBe(deployed.outputs.HttpApiUrl);
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(deployed.outputs).sort());

    const { stdout } = await run(
      'aws',
      ['--endpoint-url', dev.cloud.endpoint, 'cloudformation', 'describe-stacks', '--output', 'json'],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_DEFAULT_REGION: 'eu-west-1',
        },
      },
    );
    const listed = (JSON.parse(stdout) as { Stacks: Array<{ StackName: string; StackStatus: string }> })
      .Stacks;
    expect(listed.map((s) => `${s.StackName} ${s.StackStatus}`)).toEqual(['mini-local CREATE_COMPLETE']);
    cf.destroy();
  });

  it('a save of serverless.ts deploys again as an update of that stack', async () => {
    const { cf } = clients();
    const config = join(service.dir, 'serverless.ts');
    out.clear();
    writeFileSync(config, readFileSync(config, 'utf8').replace('timeout: 3', 'timeout: 4'));
    await waitFor(() => out.text().includes('✔ deployed'), 'the redeploy', 60_000);
    expect((await stackOf(cf, 'mini-local')).StackStatus).toBe('UPDATE_COMPLETE');
    const { StackEvents = [] } = await cf.send(new DescribeStackEventsCommand({ StackName: 'mini-local' }));
    const own = StackEvents.filter((e) => e.LogicalResourceId === 'mini-local').map((e) => e.ResourceStatus);
    expect(own.reverse()).toEqual([
      'CREATE_IN_PROGRESS',
      'CREATE_COMPLETE',
      'UPDATE_IN_PROGRESS',
      'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      'UPDATE_COMPLETE',
    ]);
    cf.destroy();
  });

  it(
    'sls info shows it before any sls deploy; npm run deploy (the real sls deploy) is then an update of that same stack',
    { timeout: 300_000 },
    async () => {
      const { cf } = clients();
      const { StackId } = await stackOf(cf, 'mini-local');
      const info = await realOsls().run({
        cwd: service.dir,
        args: ['info', '--stage', 'local'],
        env: localCloudEnv(dev.cloud),
      });
      expect(info.code, info.output).toBe(0);
      expect(info.output).toContain('stack: mini-local');
      expect(info.output).toContain(
        `GET - ${dev.cloud.stacks.get('mini-local')!.outputs.HttpApiUrl}/viruses`,
      );

      const printed: string[] = [];
      const code = await deployLocally({ dir: service.dir, root, print: (l) => printed.push(l) });
      expect(code, printed.join('\n')).toBe(0);
      const after = await stackOf(cf, 'mini-local');
      expect(after).toMatchObject({ StackId, StackStatus: 'UPDATE_COMPLETE' });
      // osls's own deploy: its change set, on the record the dev loop made.
      const { StackEvents = [] } = await cf.send(new DescribeStackEventsCommand({ StackName: 'mini-local' }));
      expect(
        StackEvents.filter(
          (e) => e.ResourceStatus === 'CREATE_IN_PROGRESS' && e.LogicalResourceId === 'mini-local',
        ),
      ).toHaveLength(1);
      cf.destroy();
    },
  );

  it(
    'a restart keeps the buckets, objects and policies, the stack records, and the resources of stacks made through the API',
    { timeout: 120_000 },
    async () => {
      let { cf, s3, sqs } = clients();
      await s3.send(new CreateBucketCommand({ Bucket: 'photos' }));
      await s3.send(new PutBucketPolicyCommand({ Bucket: 'photos', Policy: POLICY }));
      await s3.send(
        new PutObjectCommand({ Bucket: 'photos', Key: 'lab/virus 1.json', Body: '{"strength":7}' }),
      );
      await s3.send(new PutObjectCommand({ Bucket: 'photos', Key: 'gone.txt', Body: 'soon deleted' }));
      await s3.send(new DeleteObjectCommand({ Bucket: 'photos', Key: 'gone.txt' }));
      await cf.send(
        new CreateStackCommand({
          StackName: 'lab-queue',
          TemplateBody: JSON.stringify({
            Resources: { Samples: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'lab-samples' } } },
            Outputs: { SamplesUrl: { Value: { Ref: 'Samples' } } },
          }),
        }),
      );
      await dev.cloud.cloudFormation.settled('lab-queue');
      const before = await stackOf(cf, 'lab-queue');
      expect(before.StackStatus).toBe('CREATE_COMPLETE');
      for (const c of [cf, s3, sqs]) c.destroy();

      await dev.stop();
      dev = await start();
      ({ cf, s3, sqs } = clients());

      const object = await s3.send(new GetObjectCommand({ Bucket: 'photos', Key: 'lab/virus 1.json' }));
      expect(await object.Body!.transformToString()).toBe('{"strength":7}');
      const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: 'photos' }));
      expect(Contents.map((o) => o.Key)).toEqual(['lab/virus 1.json']);
      expect((await s3.send(new GetBucketPolicyCommand({ Bucket: 'photos' }))).Policy).toBe(POLICY);

      const after = await stackOf(cf, 'lab-queue');
      expect(after).toMatchObject({ StackId: before.StackId, StackStatus: 'CREATE_COMPLETE' });
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'lab-samples' }));
      expect(after.Outputs?.[0]).toMatchObject({ OutputKey: 'SamplesUrl', OutputValue: QueueUrl });
      // The dev stack's record is the same stack, updated by the restart's first deploy.
      const mini = await stackOf(cf, 'mini-local');
      expect(mini.StackStatus).toBe('UPDATE_COMPLETE');
      expect(dev.cloud.lambda.get('mini-local-createVirus')?.timeout).toBe(4);
      for (const c of [cf, s3, sqs]) c.destroy();
    },
  );
});
