import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { LocalCloud } from '../../emulator/cloud.ts';
import { awsCheck } from '../../checker/commands/aws.ts';
import { loadSessionCheck } from '../../checker/sessions/index.ts';
import { CloudFormationStandIn } from './standins/cloudformation-standin.ts';
import { standInRunner } from './standins/osls-standin.ts';
import { tempDir, testContext, TEST_CREDENTIALS } from './support.ts';

/**
 * The AWS target's observation path, end to end, with a local cloud in AWS's place: the
 * osls stand-in "deploys" by deploying the snapshot to the local cloud, the CloudFormation
 * stand-in describes what it made, and the target's SDK clients point at the local cloud.
 * Session 4's observation and judging then run exactly as they would on AWS: no trace.
 */
describe('--aws observation against a local cloud standing in for AWS', () => {
  let cloud: LocalCloud;
  let cfn: CloudFormationStandIn;
  const state = tempDir('aws-observe');
  const saved = { ...process.env };

  beforeAll(async () => {
    // At speed 1, not paused: the SDK's clients need timers that run when they talk to the stand-ins.
    cloud = await LocalCloud.start({
      start: Date.UTC(2026, 10, 21, 10, 0, 0),
      speed: 1,
      seed: 4,
      accountId: '210987654321',
    });
    cfn = await CloudFormationStandIn.start();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_STS: cloud.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: cloud.region,
    });
  });
  afterAll(async () => {
    process.env = saved;
    await cfn.close();
    await cloud.stop();
    state.remove();
  });

  it('session 4 passes on the AWS target, judged without the local trace', { timeout: 180_000 }, async () => {
    const runner = standInRunner({
      cfn,
      stateDir: state.dir,
      async deploy(run, call) {
        const stack = await cloud.deployService(run.cwd, { stage: call.stage });
        cfn.put({
          stackName: stack.name,
          resources: [...stack.resources.values()],
          outputs: { HttpApiUrl: 'https://standin.example' },
        });
        return { code: 0, output: 'deployed' };
      },
    });
    const ctx = testContext({ stateDir: state.dir, runner, cfn });
    const out: string[] = [];
    const log = console.log;
    console.log = (text: string) => out.push(text);
    let code: number;
    try {
      code = await awsCheck(await loadSessionCheck('session-4'), {
        dir: resolve('solutions/session-4'),
        stage: 'obs',
        yes: true,
        seed: 4,
        json: true,
        ctx,
        guard: false,
        target: {
          clientConfig: { endpoint: cloud.endpoint, credentials: TEST_CREDENTIALS },
          clock: { now: () => cloud.clock.now(), sleep: (ms) => cloud.clock.advance(ms) },
        },
      });
    } finally {
      console.log = log;
    }
    const report = JSON.parse(out.join('\n'));
    expect(report.results.filter((r: { status: string }) => r.status === 'fail')).toEqual([]);
    expect(code).toBe(0);
    expect(report).toMatchObject({ target: 'aws', minutes: 4, ok: true });
    // Without a trace the spread check counts executions: 3 a minute for the 4 minutes watched.
    expect(report.results.find((r: { id: string }) => r.id === 's4.executions').title).toContain(
      '(12 executions)',
    );
    // Said before the deploy: how long the learner waits, from session.json's check.minutes.
    expect(ctx.lines).toContain('The check watches 4 real minutes on AWS (20 virtual minutes locally)');
    expect(runner.calls.map((c) => `${c.command} ${c.stage}`)).toEqual(['deploy obs', 'remove obs']);
    expect(cfn.stacks.size).toBe(0);
  });
});
