import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EventBridgeClient, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { LocalCloud } from '../../emulator/cloud.ts';
import { packageService, type Template } from '../../emulator/stack/package.ts';
import { awsTarget } from '../../checker/aws/aws-target.ts';
import { awsFindings } from '../../checker/aws/doctor.ts';
import { markerPath, readMarkers } from '../../checker/aws/markers.ts';
import { removeLeftovers } from '../../checker/aws/remove.ts';
import { WRAPPER } from '../../checker/aws/snapshot.ts';
import { awsCheck } from '../../checker/commands/aws.ts';
import { deploy } from '../../checker/commands/deploy.ts';
import { teardown } from '../../checker/commands/teardown.ts';
import { loadSessionCheck } from '../../checker/sessions/index.ts';
import { CloudFormationStandIn } from './standins/cloudformation.ts';
import { standInRunner, type Behaviour } from './standins/runner.ts';
import { tempDir, testContext, TEST_CREDENTIALS } from './support.ts';

/**
 * The --aws orchestration with stand-ins: an in-process osls stand-in that records its
 * calls, a CloudFormation stand-in server, and a local cloud answering STS. What is proven
 * here is the order of things: marker before deploy, remove after any deploy, once.
 */
const SERVICE = resolve('solutions/session-4');

describe('--aws orchestration (osls and CloudFormation stand-ins)', () => {
  let cloud: LocalCloud;
  let cfn: CloudFormationStandIn;
  let template: Template;
  let state: { dir: string; remove(): void };
  const saved = { ...process.env };

  beforeAll(async () => {
    cloud = await LocalCloud.start({ speed: 1, accountId: '210987654321' });
    cfn = await CloudFormationStandIn.start();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_STS: cloud.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'eu-west-1',
    });
    template = (await packageService(SERVICE, 'local')).template;
  });
  afterAll(async () => {
    process.env = saved;
    await cfn.close();
    await cloud.stop();
  });
  beforeEach(() => {
    state = tempDir('aws-state');
    cfn.stacks.clear();
    cfn.calls.length = 0;
  });
  afterEach(() => state.remove());

  const setup = (behaviour: { deploy?: Behaviour; remove?: Behaviour } = {}) => {
    const runner = standInRunner({ cfn, stateDir: state.dir, ...behaviour });
    const ctx = testContext({ stateDir: state.dir, runner, cfn });
    return { runner, ctx };
  };

  it('deploys with osls deploy once the marker is written, tagged through a wrapper config, and reads the stack from CloudFormation', async () => {
    const { runner, ctx } = setup();
    const target = awsTarget(ctx, { stage: 'jane', region: 'eu-west-1', accountId: '210987654321' });
    const deployment = await target.deploy(SERVICE, template);

    expect(runner.calls).toHaveLength(1);
    const call = runner.calls[0];
    expect(call).toMatchObject({
      command: 'deploy',
      stage: 'jane',
      region: 'eu-west-1',
      markerExisted: true,
    });
    expect(call.args).toEqual([
      'deploy',
      '--stage',
      'jane',
      '--region',
      'eu-west-1',
      '--config',
      WRAPPER,
      '--verbose',
    ]);
    // osls runs on a snapshot under .dojo/aws/, never in the learner's folder.
    expect(call.cwd.startsWith(join(state.dir, 'aws', 'deploy'))).toBe(true);
    expect(existsSync(join(SERVICE, WRAPPER))).toBe(false);
    const wrapper = readFileSync(join(call.cwd, WRAPPER), 'utf8');
    expect(wrapper).toContain('"dojo":"serverless-dojo","dojo:stage":"jane"');
    expect(readMarkers(state.dir)).toEqual([
      expect.objectContaining({
        stackName: 'dojo-serverless-jane',
        stage: 'jane',
        region: 'eu-west-1',
        pid: process.pid,
        command: 'check',
      }),
    ]);

    expect(deployment.stackName).toBe('dojo-serverless-jane');
    expect(target.httpApiUrl(deployment)).toBe('https://standin.execute-api.eu-west-1.amazonaws.com');

    // Teardown: asked three times at once (the pipeline, a signal, a crash), removes once.
    await Promise.all([target.teardown(), target.teardown(), target.teardown()]);
    await target.teardown();
    expect(runner.calls.map((c) => `${c.command} ${c.stage}`)).toEqual(['deploy jane', 'remove jane']);
    expect(runner.calls[1]).toMatchObject({ region: 'eu-west-1', detached: true });
    expect(target.removed()).toBe(true);
    expect(existsSync(markerPath(state.dir))).toBe(false);
    expect(existsSync(call.cwd)).toBe(false);
    expect(cfn.stacks.size).toBe(0);
  });

  it('stops a deploy still running before removing (Ctrl-C during deploy)', async () => {
    const { runner, ctx } = setup({
      deploy: (run) =>
        new Promise((done) => {
          cfn.put({ stackName: 'dojo-serverless-jane', status: 'CREATE_IN_PROGRESS' });
          run.signal?.addEventListener('abort', () =>
            setImmediate(() => done({ code: 143, output: 'killed' })),
          );
        }),
    });
    const target = awsTarget(ctx, { stage: 'jane', region: 'eu-west-1', accountId: '210987654321' });
    const deploying = target.deploy(SERVICE, template);
    // Asserted below; without a handler now, its rejection would count as unhandled meanwhile.
    deploying.catch(() => undefined);
    while (runner.calls.length === 0) await new Promise((r) => setImmediate(r));
    await target.teardown();
    await expect(deploying).rejects.toThrow('The deploy was stopped.');
    expect(runner.calls.map((c) => c.command)).toEqual(['deploy', 'remove']);
    expect(cfn.stacks.size).toBe(0);
    expect(ctx.text()).toContain('✖ Deploy stopped');
  });

  it('a check that fails to deploy says why, and removes what was made', async () => {
    const { runner, ctx } = setup({
      deploy: async (_run, call) => {
        cfn.put({ stackName: `dojo-serverless-${call.stage}`, status: 'ROLLBACK_COMPLETE' });
        return {
          code: 1,
          output:
            'Deploying...\n✖ Stack dojo-serverless-jane failed to deploy (40s)\nError:\nCREATE_FAILED: VirusTable (AWS::DynamoDB::Table)\nTable already exists',
        };
      },
    });
    const printed: string[] = [];
    const log = console.log;
    console.log = (text: string) => printed.push(text);
    let code: number;
    try {
      code = await awsCheck(await loadSessionCheck('session-4'), {
        dir: SERVICE,
        stage: 'jane',
        yes: true,
        ctx,
        guard: false,
        json: true,
        minutes: 1,
      });
    } finally {
      console.log = log;
    }
    expect(code).toBe(1);
    expect(
      JSON.parse(printed.join('\n')).results.find((r: { id: string }) => r.id === 'deploy').observed,
    ).toContain('CREATE_FAILED: VirusTable (AWS::DynamoDB::Table)');
    expect(runner.calls.map((c) => c.command)).toEqual(['deploy', 'remove']);
    expect(ctx.text()).toContain('AWS account 210987654321 as arn:aws:iam::210987654321:user/dojo-local');
    expect(ctx.text()).toContain('region eu-west-1 (from AWS_REGION), stage jane');
    expect(existsSync(markerPath(state.dir))).toBe(false);
  });

  it('a check finds its stack already there (npm run deploy): removes it first, for a fresh start', async () => {
    const { runner, ctx } = setup();
    cfn.put({ stackName: 'dojo-serverless-jane', createdAt: new Date(Date.now() - 3 * 3_600_000) });
    const target = awsTarget(ctx, { stage: 'jane', region: 'eu-west-1', accountId: '210987654321' });
    await target.deploy(SERVICE, template);
    await target.teardown();
    expect(runner.calls.map((c) => c.command)).toEqual(['remove', 'deploy', 'remove']);
    expect(ctx.text()).toContain(
      '⚠ dojo-serverless-jane is already on AWS (for 3 h 0 min): the check needs a fresh one',
    );
  });

  it('a removal that fails keeps the marker, and the next command removes the leftover first', async () => {
    let failing = true;
    const { runner, ctx } = setup({
      remove: async () =>
        failing
          ? {
              code: 1,
              output:
                'Error:\nDELETE_FAILED: ServerlessDeploymentBucket\nThe bucket you tried to delete is not empty',
            }
          : { code: 0, output: 'removed' },
    });
    const target = awsTarget(ctx, { stage: 'jane', region: 'eu-west-1', accountId: '210987654321' });
    await target.deploy(SERVICE, template);
    await target.teardown();
    expect(target.removed()).toBe(false);
    expect(ctx.text()).toContain('✖ Could not remove dojo-serverless-jane');
    expect(ctx.text()).toContain('The bucket you tried to delete is not empty');
    expect(readMarkers(state.dir)).toHaveLength(1);

    // The process that wrote it is gone (as after a SIGKILL): the next command finds it.
    const file = markerPath(state.dir);
    writeFileSync(file, readFileSync(file, 'utf8').replace(`"pid": ${process.pid}`, '"pid": 999999999'));
    failing = false;
    expect(await removeLeftovers(ctx)).toBe(true);
    expect(ctx.text()).toMatch(
      /⚠ An earlier check \(stage jane, \d+ s ago\) stopped before it could remove dojo-serverless-jane in eu-west-1: removing it first\./,
    );
    expect(runner.calls.map((c) => c.command)).toEqual(['deploy', 'remove', 'remove']);
    expect(existsSync(file)).toBe(false);
  });

  it('removing a stack that is not there (any more) is a success', async () => {
    const { runner, ctx } = setup({ deploy: async () => ({ code: 1, output: 'Error: credentials' }) });
    const target = awsTarget(ctx, { stage: 'jane', region: 'eu-west-1', accountId: '210987654321' });
    await expect(target.deploy(SERVICE, template)).rejects.toThrow(/osls deploy failed/);
    await target.teardown();
    expect(runner.calls.map((c) => c.command)).toEqual(['deploy', 'remove']);
    expect(target.removed()).toBe(true);
    expect(ctx.text()).toContain('✔ Nothing to remove: dojo-serverless-jane is not on AWS');
  });

  it('npm run deploy -- --aws leaves the stack running and prints its HTTP API', async () => {
    const { runner, ctx } = setup();
    const out: string[] = [];
    expect(
      await deploy({
        aws: true,
        dir: SERVICE,
        stage: 'jane',
        yes: true,
        ctx,
        guard: false,
        print: (l) => out.push(l),
      }),
    ).toBe(0);
    expect(runner.calls.map((c) => c.command)).toEqual(['deploy']);
    expect(out.join('\n')).toContain('HTTP API  https://standin.execute-api.eu-west-1.amazonaws.com/');
    expect(out.join('\n')).toContain('npm run teardown -- --aws');
    expect(cfn.stacks.has('dojo-serverless-jane')).toBe(true);
    expect(existsSync(markerPath(state.dir))).toBe(false);
  });

  it('without --aws, teardown explains that locally there is nothing to do, and calls nothing', async () => {
    const { runner } = setup();
    const out: string[] = [];
    expect(await teardown({ print: (l) => out.push(l) })).toBe(0);
    expect(out.join('\n')).toContain('Locally there is nothing to tear down');
    expect(runner.calls).toEqual([]);
    expect(cfn.calls).toEqual([]);
  });

  it('teardown removes your stack; --all every stack of your stage; --everyone all dojo stacks, after a yes', async () => {
    const { runner, ctx } = setup();
    const tags = (stage: string, service = 'dojo-serverless') => ({
      dojo: 'serverless-dojo',
      'dojo:stage': stage,
      'dojo:service': service,
    });
    cfn.put({ stackName: 'dojo-serverless-jane', tags: tags('jane') });
    cfn.put({ stackName: 'experiment-jane', tags: tags('jane', 'experiment') });
    cfn.put({ stackName: 'dojo-serverless-bob', tags: tags('bob') });
    cfn.put({ stackName: 'unrelated-prod', tags: { team: 'payments' } });
    const out: string[] = [];
    const print = (l: string) => out.push(l);

    expect(await teardown({ aws: true, dir: SERVICE, stage: 'jane', ctx, guard: false, print })).toBe(0);
    expect([...cfn.stacks.keys()].sort()).toEqual([
      'dojo-serverless-bob',
      'experiment-jane',
      'unrelated-prod',
    ]);
    expect(await teardown({ aws: true, dir: SERVICE, stage: 'jane', ctx, guard: false, print })).toBe(0);
    expect(ctx.text()).toContain(
      '✔ Nothing deployed as dojo-serverless-jane in eu-west-1. Other stacks of stage jane: experiment-jane (--all removes them).',
    );

    expect(
      await teardown({ aws: true, dir: SERVICE, stage: 'jane', all: true, ctx, guard: false, print }),
    ).toBe(0);
    expect([...cfn.stacks.keys()].sort()).toEqual(['dojo-serverless-bob', 'unrelated-prod']);
    // The removal config names the service from the stack's tag.
    expect(runner.calls.at(-1)).toMatchObject({ command: 'remove', stage: 'jane' });

    await expect(
      teardown({ aws: true, dir: SERVICE, everyone: true, ctx, guard: false, print, interactive: false }),
    ).rejects.toThrow(/other people's too[\s\S]*Add --yes/);
    await expect(
      teardown({
        aws: true,
        dir: SERVICE,
        everyone: true,
        ctx,
        guard: false,
        print,
        interactive: true,
        ask: async () => 'no',
      }),
    ).rejects.toThrow('Nothing removed.');
    expect(
      await teardown({
        aws: true,
        dir: SERVICE,
        everyone: true,
        ctx,
        guard: false,
        print,
        interactive: true,
        ask: async () => 'y',
      }),
    ).toBe(0);
    expect([...cfn.stacks.keys()]).toEqual(['unrelated-prod']);
    expect(out.join('\n')).toContain('✔ Removed 1 stack.');
  });

  it("teardown stops the running executions of the stack's state machines before osls remove (Step Functions of a local cloud stands in for AWS)", async () => {
    const runner = standInRunner({ cfn, stateDir: state.dir });
    const ctx = testContext({ stateDir: state.dir, runner, cfn, sfnEndpoint: cloud.endpoint });
    const sfn = new SFNClient({
      region: 'eu-west-1',
      endpoint: cloud.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    // A schedule waiting a day for its next tick, as in session 5.
    const definition = JSON.stringify({
      StartAt: 'WaitForTick',
      States: { WaitForTick: { Type: 'Wait', Seconds: 86_400, End: true } },
    });
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'dojo-serverless-jane-scheduler',
        definition,
        roleArn: 'arn:aws:iam::210987654321:role/sfn',
      }),
    );
    const running = await Promise.all(
      [1, 2].map(() => sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }))),
    );
    cfn.put({
      stackName: 'dojo-serverless-jane',
      tags: { dojo: 'serverless-dojo', 'dojo:stage': 'jane' },
      resources: [
        {
          logicalId: 'SchedulerStateMachine',
          type: 'AWS::StepFunctions::StateMachine',
          physicalId: stateMachineArn!,
        },
      ],
    });

    expect(
      await teardown({ aws: true, dir: SERVICE, stage: 'jane', ctx, guard: false, print: () => undefined }),
    ).toBe(0);

    for (const { executionArn } of running) {
      const e = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(e).toMatchObject({ status: 'ABORTED', error: 'DojoTeardown' });
    }
    expect(ctx.text()).toContain('Stopped 2 running executions first (2 of dojo-serverless-jane-scheduler).');
    // Stopped before the removal, not after.
    expect(ctx.text().indexOf('Stopped 2 running')).toBeLessThan(
      ctx.text().indexOf('✔ Removed dojo-serverless-jane'),
    );
    expect(runner.calls.map((c) => c.command)).toEqual(['remove']);
    sfn.destroy();
  });

  it('doctor --aws lists the dojo stacks still deployed, with stage, age and what they cost to leave running', async () => {
    const { ctx } = setup();
    const events = new EventBridgeClient({
      region: 'eu-west-1',
      endpoint: cloud.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    await events.send(
      new PutRuleCommand({
        Name: 'dojo-serverless-jane-spreadVirus-rule-1',
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
      }),
    );
    const tags = (stage: string) => ({ dojo: 'serverless-dojo', 'dojo:stage': stage });
    cfn.put({
      stackName: 'dojo-serverless-jane',
      tags: tags('jane'),
      createdAt: new Date(Date.now() - 26 * 3_600_000),
      resources: [
        {
          logicalId: 'SpreadVirusEventsRuleSchedule1',
          type: 'AWS::Events::Rule',
          physicalId: 'dojo-serverless-jane-spreadVirus-rule-1',
        },
      ],
    });
    cfn.put({
      stackName: 'dojo-serverless-bob',
      tags: tags('bob'),
      createdAt: new Date(Date.now() - 20 * 60_000),
      resources: [{ logicalId: 'VirusTable', type: 'AWS::DynamoDB::Table', physicalId: 't' }],
    });
    const estimate = async () => ({
      measurement: { alone: {} as never, details: { invocationsByFunction: {}, executions: 0 } },
      alone: [],
      aloneUsd: 0.0139,
    });
    const findings = await awsFindings({ dir: SERVICE, ctx, events: () => events, estimate });
    events.destroy();
    expect(findings[0]).toMatchObject({
      status: 'ok',
      message:
        'AWS account 210987654321 as arn:aws:iam::210987654321:user/dojo-local, region eu-west-1 (from AWS_REGION)',
    });
    const deployed = findings[1];
    expect(deployed.status).toBe('warn');
    expect(deployed.message).toContain(
      '2 dojo stacks are deployed in eu-west-1 (≈ $0.0139 an hour, $0.334 a day together',
    );
    expect(deployed.message).toMatch(
      /dojo-serverless-bob {2}stage bob, CREATE_COMPLETE, 20 min old; ≈ \$0 while nobody uses it \(no schedule\)/,
    );
    expect(deployed.message).toMatch(
      /dojo-serverless-jane {2}stage jane, CREATE_COMPLETE, 26 h 0 min old; runs rate\(1 minute\): ≈ \$0\.0139 an hour, \$0\.334 a day/,
    );
    expect(deployed.fix).toContain('npm run teardown -- --aws');
  });
});
