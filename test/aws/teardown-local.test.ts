/**
 * `npm run teardown -- --aws` with the real osls remove, against a local cloud's CloudFormation,
 * Step Functions and STS (AWS_ENDPOINT_URL points the SDK, and so osls, at it). The stacks are
 * made through CloudFormation's API with the dojo's tags, as osls deploy would tag them: which
 * ones teardown, --all and --everyone pick, the executions it stops first, and a stack that is
 * not there, all read back through the SDK.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreEnv } from '../support/env.ts';
import { join, resolve } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { LocalCloud } from '../../emulator/cloud.ts';
import { realOsls } from '../../checker/aws/osls.ts';
import { removeStack } from '../../checker/aws/remove.ts';
import { teardown } from '../../checker/commands/teardown.ts';
import { oslsEnv } from './local-stacks.ts';
import { tempDir, testContext } from './support.ts';

const SERVICE = resolve('solutions/session-4');
const tags = (stage: string, service = 'dojo-serverless') => [
  { Key: 'dojo', Value: 'serverless-dojo' },
  { Key: 'dojo:stage', Value: stage },
  { Key: 'dojo:service', Value: service },
];
/** A schedule waiting a day for its next tick, as in session 5. */
const scheduler = {
  Resources: {
    SchedulerStateMachine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: 'dojo-serverless-jane-scheduler',
        RoleArn: 'arn:aws:iam::210987654321:role/sfn',
        DefinitionString: JSON.stringify({
          StartAt: 'WaitForTick',
          States: { WaitForTick: { Type: 'Wait', Seconds: 86_400, End: true } },
        }),
      },
    },
  },
};
const queue = { Resources: { Samples: { Type: 'AWS::SQS::Queue' } } };

describe('teardown --aws with the real osls remove, on a local cloud', () => {
  let cloud: LocalCloud;
  let cf: CloudFormationClient;
  let sfn: SFNClient;
  let state: { dir: string; remove(): void };
  const saved = { ...process.env };

  beforeAll(async () => {
    cloud = await LocalCloud.start({ speed: 1, accountId: '210987654321', enforceIam: false });
    Object.assign(process.env, oslsEnv(cloud.endpoint));
    cf = new CloudFormationClient(cloud.clientConfig());
    sfn = new SFNClient(cloud.clientConfig());
    state = tempDir('aws-teardown-local');
  });
  afterAll(async () => {
    restoreEnv(saved);
    cf?.destroy();
    sfn?.destroy();
    await cloud?.stop();
    state?.remove();
  });

  const ctx = () =>
    testContext({
      stateDir: join(state.dir, '.dojo'),
      runner: realOsls(),
      cfn: { url: cloud.endpoint },
      sfnEndpoint: cloud.endpoint,
    });
  const live = async () =>
    ((await cf.send(new DescribeStacksCommand({}))).Stacks ?? []).map((s) => s.StackName).sort();
  const create = async (name: string, template: object, stackTags: Array<{ Key: string; Value: string }>) => {
    await cf.send(
      new CreateStackCommand({ StackName: name, TemplateBody: JSON.stringify(template), Tags: stackTags }),
    );
    await cloud.cloudFormation.settled(name);
  };

  it(
    'removes your stack after stopping its running executions; --all every stack of your stage; --everyone all dojo stacks, after a yes',
    { timeout: 600_000 },
    async () => {
      await create('dojo-serverless-jane', scheduler, tags('jane'));
      await create('experiment-jane', queue, tags('jane', 'experiment'));
      await create('dojo-serverless-bob', queue, tags('bob'));
      await create('unrelated-prod', queue, [{ Key: 'team', Value: 'payments' }]);
      const { StackResources = [] } = await cf.send(
        new DescribeStackResourcesCommand({ StackName: 'dojo-serverless-jane' }),
      );
      const stateMachineArn = StackResources[0].PhysicalResourceId!;
      const running = await Promise.all(
        [1, 2].map(() => sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }))),
      );
      const c = ctx();
      const out: string[] = [];
      const print = (l: string) => out.push(l);

      expect(await teardown({ aws: true, dir: SERVICE, stage: 'jane', ctx: c, guard: false, print })).toBe(0);
      expect(await live()).toEqual(['dojo-serverless-bob', 'experiment-jane', 'unrelated-prod']);
      for (const { executionArn } of running)
        expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
          status: 'ABORTED',
          error: 'DojoTeardown',
        });
      expect(c.text()).toContain('Stopped 2 running executions first (2 of dojo-serverless-jane-scheduler).');
      // Stopped before the removal, not after.
      expect(c.text().indexOf('Stopped 2 running')).toBeLessThan(
        c.text().indexOf('✔ Removed dojo-serverless-jane'),
      );

      expect(await teardown({ aws: true, dir: SERVICE, stage: 'jane', ctx: c, guard: false, print })).toBe(0);
      expect(c.text()).toContain(
        '✔ Nothing deployed as dojo-serverless-jane in eu-west-1. Other stacks of stage jane: experiment-jane (--all removes them).',
      );
      expect(
        await teardown({ aws: true, dir: SERVICE, stage: 'jane', all: true, ctx: c, guard: false, print }),
      ).toBe(0);
      expect(await live()).toEqual(['dojo-serverless-bob', 'unrelated-prod']);

      await expect(
        teardown({
          aws: true,
          dir: SERVICE,
          everyone: true,
          ctx: c,
          guard: false,
          print,
          interactive: false,
        }),
      ).rejects.toThrow(/other people's too[\s\S]*Add --yes/);
      await expect(
        teardown({
          aws: true,
          dir: SERVICE,
          everyone: true,
          ctx: c,
          guard: false,
          print,
          interactive: true,
          ask: async () => 'no',
        }),
      ).rejects.toThrow('Nothing removed.');
      expect(await live()).toEqual(['dojo-serverless-bob', 'unrelated-prod']);
      expect(
        await teardown({
          aws: true,
          dir: SERVICE,
          everyone: true,
          ctx: c,
          guard: false,
          print,
          interactive: true,
          ask: async () => 'y',
        }),
      ).toBe(0);
      expect(await live()).toEqual(['unrelated-prod']);
      expect(out.join('\n')).toContain('✔ Removed 1 stack.');
    },
  );

  it('removing a stack that is not there is a success: osls says so, and the dojo takes it as done', async () => {
    const c = ctx();
    expect(
      await removeStack(c, {
        stackName: 'dojo-serverless-ghost',
        service: 'dojo-serverless',
        stage: 'ghost',
        region: 'eu-west-1',
      }),
    ).toBe(true);
    expect(c.text()).toContain('✔ Nothing to remove: dojo-serverless-ghost is not on AWS');
  }, 300_000);
});
