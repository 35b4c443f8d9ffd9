/**
 * The real osls against a local cloud, for the --aws tests that run it: the environment that
 * points osls (and every SDK client it and the checker make) at the local cloud, and what such
 * a test asks the local cloud through the SDK afterwards: a stack's status and the deployment
 * buckets osls made for it.
 */
import { expect } from 'vitest';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import type { LocalCloud } from '../../emulator/cloud.ts';

/**
 * Only the endpoint, credentials and region, as a learner sets them for the local cloud; no
 * stand-in and no option of the dojo's. The region is the one session 4's serverless.ts names.
 */
export function oslsEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'eu-west-1',
    // osls polls the stack every 5 s by default; the local cloud answers at once.
    SLS_AWS_MONITORING_FREQUENCY: '200',
  };
}

export interface LocalStacks {
  cf: CloudFormationClient;
  s3: S3Client;
  /** The stack's status on the local cloud, or undefined when it is not there. */
  statusOf(stackName: string): Promise<string | undefined>;
  /** The deployment buckets osls made for the stack (it names them after it). */
  bucketsOf(stackName: string): Promise<string[]>;
  /** Nothing of the stack is left on the local cloud: neither the stack nor its deployment bucket. */
  expectGone(stackName: string): Promise<void>;
  destroy(): void;
}

export function localStacks(cloud: LocalCloud): LocalStacks {
  const cf = new CloudFormationClient(cloud.clientConfig());
  const s3 = new S3Client({ ...cloud.clientConfig(), forcePathStyle: true });
  const statusOf = async (stackName: string) => {
    try {
      const { Stacks = [] } = await cf.send(new DescribeStacksCommand({ StackName: stackName }));
      return Stacks[0]?.StackStatus;
    } catch (err) {
      if (/does not exist/.test((err as Error).message)) return undefined;
      throw err;
    }
  };
  const bucketsOf = async (stackName: string) => {
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    return Buckets.map((b) => b.Name!).filter((name) => name.startsWith(stackName.toLowerCase()));
  };
  return {
    cf,
    s3,
    statusOf,
    bucketsOf,
    async expectGone(stackName) {
      expect(await statusOf(stackName), `${stackName} is still on the local cloud`).toBeUndefined();
      expect(await bucketsOf(stackName), `the deployment bucket of ${stackName} is still there`).toEqual([]);
    },
    destroy() {
      cf.destroy();
      s3.destroy();
    },
  };
}
