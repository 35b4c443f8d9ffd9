/**
 * `npm run deploy` without --aws: the real osls deploys a session's solution to a running
 * local cloud through its S3 and CloudFormation; `sls info`, `sls invoke -f` and
 * `sls remove` then work with only the endpoint set. A failing resource is rolled back and
 * told with the resource, AWS's reason and what to do. `aws cloudformation deploy` works too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  DescribeStacksCommand,
  CloudFormationClient,
  DescribeStackEventsCommand,
} from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { LocalCloud } from '../../emulator/cloud.ts';
import { realOsls } from '../../checker/aws/osls.ts';
import { deployLocally, localCloudEnv } from '../../checker/core/local-deploy.ts';

const run = promisify(execFile);

describe('osls deploy, info, invoke and remove against the local cloud', () => {
  let cloud: LocalCloud;
  const scratch = resolve('.dojo', 'tmp', `local-deploy-${process.pid}`);
  const service = join(scratch, 'session-1');
  const osls = realOsls();
  const sls = (...args: string[]) =>
    osls.run({
      cwd: service,
      args: [...args, '--stage', 'dev'],
      env: localCloudEnv({ endpoint: cloud.endpoint, region: cloud.region }),
    });

  beforeAll(async () => {
    cloud = await LocalCloud.start({ speed: 1 });
    cpSync(resolve('solutions/session-1'), service, { recursive: true });
  });
  afterAll(async () => {
    await cloud?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it(
    'deploys session 1 with the real osls, runs its function, and removes it all',
    { timeout: 180_000 },
    async () => {
      const out: string[] = [];
      const code = await deployLocally({
        dir: service,
        stage: 'dev',
        cloud: { endpoint: cloud.endpoint, region: cloud.region },
        print: (l) => out.push(l),
      });
      expect(out.join('\n')).toContain('✔ dojo-serverless-dev is deployed to the local cloud.');
      expect(code).toBe(0);
      const cf = new CloudFormationClient(cloud.clientConfig());
      const { Stacks = [] } = await cf.send(new DescribeStacksCommand({ StackName: 'dojo-serverless-dev' }));
      // osls creates the stack with its deployment bucket, then updates it with the service.
      expect(Stacks[0].StackStatus).toBe('UPDATE_COMPLETE');
      expect(Stacks[0].Outputs?.map((o) => o.OutputKey)).toEqual(
        expect.arrayContaining(['ServerlessDeploymentBucketName', 'CreateVirusLambdaFunctionQualifiedArn']),
      );
      expect(out.join('\n')).toMatch(/UPDATE_COMPLETE - AWS::CloudFormation::Stack - dojo-serverless-dev/);

      const info = await sls('info');
      expect(info.output).toContain('createVirus: dojo-serverless-dev-createVirus');
      // The function runs the code osls uploaded (its zip in the local S3) and writes a virus.
      const invoked = await sls('invoke', '-f', 'createVirus');
      expect(invoked.code).toBe(0);
      const virus = JSON.parse(invoked.output.slice(invoked.output.indexOf('{')));
      const dynamo = new DynamoDBClient(cloud.clientConfig());
      const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: 'dojo-serverless-dev-viruses' }));
      expect(Items.map((i) => i.id.S)).toEqual([virus.id]);

      const removed = await sls('remove');
      expect(removed.output).toContain('Service dojo-serverless has been successfully removed');
      await expect(cf.send(new DescribeStacksCommand({ StackName: 'dojo-serverless-dev' }))).rejects.toThrow(
        'does not exist',
      );
      const s3 = new S3Client({ ...cloud.clientConfig(), forcePathStyle: true });
      expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    },
  );

  it("a failing resource: rolled back, and told with the resource, AWS's reason and what to do", async () => {
    const out: string[] = [];
    const dir = resolve('test/fixtures/failing-deploy');
    const code = await deployLocally({
      dir,
      stage: 'dev',
      cloud: { endpoint: cloud.endpoint, region: cloud.region },
      print: (l) => out.push(l),
    });
    rmSync(join(dir, '.serverless'), { recursive: true, force: true });
    const text = out.join('\n');
    expect(code).toBe(1);
    expect(text).toContain('✖ osls deploy failed for dojo-failing-dev:');
    expect(text).toMatch(/CREATE_FAILED: LabTable \(AWS::DynamoDB::Table\)/);
    expect(text).toContain('One or more parameter values were invalid');
    expect(text).toContain('Fix it in serverless.ts (or resources/), then npm run deploy again');
    const cf = new CloudFormationClient(cloud.clientConfig());
    const { StackEvents = [] } = await cf.send(
      new DescribeStackEventsCommand({ StackName: 'dojo-failing-dev' }),
    );
    expect(StackEvents[0]).toMatchObject({
      LogicalResourceId: 'dojo-failing-dev',
      ResourceStatus: 'UPDATE_ROLLBACK_COMPLETE',
    });
    const { Items } = await new DynamoDBClient(cloud.clientConfig())
      .send(new ScanCommand({ TableName: 'dojo-failing-dev-viruses' }))
      .catch(() => ({ Items: undefined }));
    // The update that added the tables was rolled back: neither is left.
    expect(Items).toBeUndefined();
  });

  it('says where to start a local cloud when none runs', async () => {
    const out: string[] = [];
    expect(await deployLocally({ dir: service, root: scratch, print: (l) => out.push(l) })).toBe(1);
    expect(out.join('\n')).toContain(
      'Start one in another terminal (npm start, or npm run dev), then run npm run deploy again.',
    );
  });

  // The CLI's waiter polls every 30 real seconds (its fixed delay), hence one deploy and a long timeout.
  it('aws cloudformation deploy creates a stack through a change set', { timeout: 120_000 }, async () => {
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: 'eu-west-1',
    };
    const file = join(scratch, 'template.json');
    const template = (tables: string[]) => ({
      Resources: Object.fromEntries(
        tables.map((t) => [
          t,
          {
            Type: 'AWS::DynamoDB::Table',
            Properties: {
              BillingMode: 'PAY_PER_REQUEST',
              AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
              KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            },
          },
        ]),
      ),
    });
    const deploy = () =>
      run(
        'aws',
        [
          '--endpoint-url',
          cloud.endpoint,
          'cloudformation',
          'deploy',
          '--stack-name',
          'cli-stack',
          '--template-file',
          file,
        ],
        { env },
      );
    writeFileSync(file, JSON.stringify(template(['Viruses', 'Lab'])));
    expect((await deploy()).stdout).toContain('Successfully created/updated stack - cli-stack');
    const { stdout } = await run(
      'aws',
      [
        '--endpoint-url',
        cloud.endpoint,
        'cloudformation',
        'list-stack-resources',
        '--stack-name',
        'cli-stack',
        '--output',
        'json',
      ],
      { env },
    );
    expect(
      JSON.parse(stdout)
        .StackResourceSummaries.map((r: { LogicalResourceId: string }) => r.LogicalResourceId)
        .sort(),
    ).toEqual(['Lab', 'Viruses']);
  });
});
