/**
 * The --aws path end to end with no stand-in: the real osls deploys session 4 through
 * `npm run deploy -- --aws` to a local cloud's CloudFormation and S3 (AWS_ENDPOINT_URL points
 * the SDK, and so osls, at it), and `npm run teardown -- --aws` stops the execution still
 * waiting before the real `osls remove` takes the stack down. What only AWS can do (a real
 * account, real billing) is all that is left out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreEnv } from '../support/env.ts';
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  DescribeStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { LocalCloud } from '../../emulator/cloud.ts';
import { realOsls } from '../../checker/aws/osls.ts';
import { readMarkers } from '../../checker/aws/markers.ts';
import { deploy } from '../../checker/commands/deploy.ts';
import { teardown } from '../../checker/commands/teardown.ts';
import { oslsEnv } from './local-stacks.ts';
import { tempDir, testContext } from './support.ts';

describe('--aws deploy and teardown through the real osls, on the local CloudFormation and S3', () => {
  let cloud: LocalCloud;
  let state: { dir: string; remove(): void };
  let service: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    // A paused clock: the execution started below waits in its Wait state until stopped.
    cloud = await LocalCloud.start({ speed: 'paused', accountId: '210987654321' });
    Object.assign(process.env, oslsEnv(cloud.endpoint));
    state = tempDir('aws-local-path');
    service = join(state.dir, 'session-4');
    cpSync(resolve('solutions/session-4'), service, { recursive: true });
  });
  afterAll(async () => {
    restoreEnv(saved);
    await cloud?.stop();
    state?.remove();
  });

  it(
    'deploys with the dojo tags, then stops the waiting execution and removes the stack',
    { timeout: 240_000 },
    async () => {
      const ctx = testContext({
        stateDir: join(state.dir, '.dojo'),
        runner: realOsls(),
        cfn: { url: cloud.endpoint },
        sfnEndpoint: cloud.endpoint,
      });
      const out: string[] = [];
      const code = await deploy({
        aws: true,
        dir: service,
        stage: 'jane',
        yes: true,
        ctx,
        guard: false,
        print: (l) => out.push(l),
      });
      expect(ctx.text() + out.join('\n')).toContain(
        '✔ dojo-serverless-jane is on AWS (account 210987654321, eu-west-1).',
      );
      expect(code).toBe(0);
      const cf = new CloudFormationClient(cloud.clientConfig());
      const { Stacks = [] } = await cf.send(new DescribeStacksCommand({ StackName: 'dojo-serverless-jane' }));
      expect(Stacks[0].StackStatus).toBe('UPDATE_COMPLETE');
      expect(Stacks[0].Tags).toEqual(
        expect.arrayContaining([
          { Key: 'dojo', Value: 'serverless-dojo' },
          { Key: 'dojo:stage', Value: 'jane' },
        ]),
      );
      expect(out.join('\n')).toMatch(/HTTP API {2}https:\/\/\S+\.execute-api\.eu-west-1\./);
      // It stays deployed: the learner is told how to remove it.
      expect(out.join('\n')).toContain('npm run teardown -- --aws');
      expect(readMarkers(ctx.stateDir)).toEqual([]);

      const { StackResources = [] } = await cf.send(
        new DescribeStackResourcesCommand({ StackName: 'dojo-serverless-jane' }),
      );
      const machine = StackResources.find(
        (r) => r.ResourceType === 'AWS::StepFunctions::StateMachine',
      )!.PhysicalResourceId!;
      const sfn = new SFNClient(cloud.clientConfig());
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: machine, input: '{}' }),
      );

      expect(
        await teardown({
          aws: true,
          dir: service,
          stage: 'jane',
          ctx,
          guard: false,
          print: (l) => out.push(l),
        }),
      ).toBe(0);
      expect(ctx.text()).toMatch(/Stopped 1 running execution first \(1 of [^)]+\)/);
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('ABORTED');
      expect(out.join('\n')).toContain('✔ Removed 1 stack.');
      await expect(cf.send(new DescribeStacksCommand({ StackName: 'dojo-serverless-jane' }))).rejects.toThrow(
        'does not exist',
      );
    },
  );
});
