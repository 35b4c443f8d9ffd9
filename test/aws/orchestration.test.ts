import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { restoreEnv } from '../support/env.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EventBridgeClient, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { LocalCloud } from '../../emulator/cloud.ts';
import { packageService, type Template } from '../../emulator/stack/package.ts';
import { awsTarget } from '../../checker/aws/aws-target.ts';
import { awsFindings } from '../../checker/aws/doctor.ts';
import { markerPath, readMarkers } from '../../checker/aws/markers.ts';
import { removeLeftovers } from '../../checker/aws/remove.ts';
import { WRAPPER } from '../../checker/aws/snapshot.ts';
import { awsCheck } from '../../checker/commands/aws.ts';
import { teardown } from '../../checker/commands/teardown.ts';
import { loadSessionCheck } from '../../checker/sessions/index.ts';
import { CloudFormationStandIn } from './standins/cloudformation-standin.ts';
import { standInRunner, type Behaviour } from './standins/osls-standin.ts';
import { tempDir, testContext, TEST_CREDENTIALS } from './support.ts';

/**
 * The --aws orchestration with stand-ins, for what only AWS (or a stand-in recording calls) can
 * show: an in-process osls stand-in that records its calls and plays AWS's failures, a
 * CloudFormation stand-in holding stacks as a real account has them (hours old, failing to
 * delete), and a local cloud answering STS. The real osls against a local cloud's CloudFormation
 * is in cli-teardown.test.ts (the kill points), observe.test.ts (a whole check, judged without
 * the trace), teardown-local.test.ts and local-path.test.ts.
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
    restoreEnv(saved);
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

  it('stand-in osls records its calls: the marker is written before osls deploy, the wrapper config tags the stack, and teardown asked three times removes once', async () => {
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

  it('stand-in osls failing as on AWS (a table that already exists in the account): the check says why, and removes what was made', async () => {
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

  it('stand-in CloudFormation with a stack deployed 3 h ago: a check removes it first, for a fresh start', async () => {
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

  it('stand-in osls remove failing as on AWS (DELETE_FAILED): the marker stays, and the next command removes the leftover first', async () => {
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

  it('without --aws, teardown explains that locally there is nothing to do, and calls neither stand-in', async () => {
    const { runner } = setup();
    const out: string[] = [];
    expect(await teardown({ print: (l) => out.push(l) })).toBe(0);
    expect(out.join('\n')).toContain('Locally there is nothing to tear down');
    expect(runner.calls).toEqual([]);
    expect(cfn.calls).toEqual([]);
  });

  it('stand-in CloudFormation with stacks a day old: doctor --aws lists them with stage, age and what they cost to leave running', async () => {
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
