/**
 * AWS::Scheduler::Schedule and AWS::Scheduler::ScheduleGroup across redeploys of one stack (a
 * CloudFormation update): a changed schedule is updated in place, a renamed one replaced, a
 * removed one stops firing; a template Scheduler refuses fails the deploy naming the resource.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetScheduleCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { LocalCloud } from '../../emulator/cloud.ts';
import type { Template } from '../../emulator/stack/package.ts';
import { tempService } from '../support/temp-service.ts';

const STACK = 'sched-local';
const service = tempService({ 'functions/sink.ts': 'export const main = async (event: unknown) => event;' });

function template(
  schedule: Record<string, unknown> | undefined,
  group: Record<string, unknown> = { Name: 'waves', Tags: [{ Key: 'v', Value: '1' }] },
): Template {
  const Resources: Template['Resources'] = {
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: `${STACK}-role`,
        Policies: [
          {
            PolicyName: 'p',
            PolicyDocument: {
              Statement: [{ Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: '*' }],
            },
          },
        ],
      },
    },
    SinkLambdaFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: `${STACK}-sink`,
        Handler: 'functions/sink.main',
        Runtime: 'nodejs22.x',
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
      },
    },
    Waves: { Type: 'AWS::Scheduler::ScheduleGroup', Properties: group },
  };
  if (schedule) {
    Resources.Wave = {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        GroupName: { Ref: 'Waves' },
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: { 'Fn::GetAtt': ['SinkLambdaFunction', 'Arn'] },
          RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
        },
        ...schedule,
      },
    };
  }
  return { Resources };
}

describe('Scheduler resources across redeploys', () => {
  let cloud: LocalCloud;
  let scheduler: SchedulerClient;
  const deploy = (t: Template) => cloud.deployTemplate(t, { serviceDir: service.dir, stackName: STACK });
  const fires = (name: string) => cloud.trace.find('scheduler.fire', (e) => e.schedule === name).length;

  beforeAll(async () => {
    // Half a minute before a round ten minutes, so the first firing is clearly after the deploy.
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 10, 21, 9, 59, 30) });
    scheduler = new SchedulerClient(cloud.clientConfig());
  });
  afterAll(async () => {
    scheduler?.destroy();
    await cloud?.stop();
    service.remove();
  });

  it('creates the group and the schedule: Ref is the name, GetAtt Arn the ARN', async () => {
    const stack = await deploy(template({ Name: 'wave', ScheduleExpression: 'cron(0/10 * * * ? *)' }));
    expect(stack.resources.get('Wave')).toMatchObject({
      physicalId: 'wave',
      attributes: { Arn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/waves/wave' },
    });
    expect(stack.resources.get('Waves')).toMatchObject({
      physicalId: 'waves',
      attributes: { Arn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule-group/waves', State: 'ACTIVE' },
    });
    await cloud.clock.advance(30 * 60_000);
    expect(fires('wave')).toBe(3);
  });

  it('updates a changed schedule in place, and the group tags', async () => {
    const stack = await deploy(
      template(
        { Name: 'wave', ScheduleExpression: 'cron(0/5 * * * ? *)', Description: 'faster' },
        { Name: 'waves', Tags: [{ Key: 'v', Value: '2' }] },
      ),
    );
    expect(stack.changes.filter((c) => c.logicalId.startsWith('Wave'))).toEqual([
      { logicalId: 'Waves', type: 'AWS::Scheduler::ScheduleGroup', action: 'update' },
      { logicalId: 'Wave', type: 'AWS::Scheduler::Schedule', action: 'update' },
    ]);
    expect(await scheduler.send(new GetScheduleCommand({ Name: 'wave', GroupName: 'waves' }))).toMatchObject({
      ScheduleExpression: 'cron(0/5 * * * ? *)',
      Description: 'faster',
    });
    expect(
      (
        await scheduler.send(
          new ListTagsForResourceCommand({
            ResourceArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule-group/waves',
          }),
        )
      ).Tags,
    ).toEqual([{ Key: 'v', Value: '2' }]);
    const before = fires('wave');
    await cloud.clock.advance(30 * 60_000);
    expect(fires('wave') - before).toBe(6);
  });

  it('replaces a renamed schedule: the new one fires, the old one is gone', async () => {
    await deploy(template({ Name: 'wave-2', ScheduleExpression: 'cron(0/5 * * * ? *)' }));
    expect(
      (await scheduler.send(new ListSchedulesCommand({ GroupName: 'waves' }))).Schedules?.map((s) => s.Name),
    ).toEqual(['wave-2']);
    const old = fires('wave');
    await cloud.clock.advance(10 * 60_000);
    expect(fires('wave')).toBe(old);
    expect(fires('wave-2')).toBe(2);
  });

  it('stops a schedule removed from the template', async () => {
    await deploy(template(undefined));
    expect(cloud.scheduler.all()).toEqual([]);
    const before = fires('wave-2');
    await cloud.clock.advance(10 * 60_000);
    expect(fires('wave-2')).toBe(before);
  });

  it("fails a deploy whose schedule Scheduler refuses, naming the resource and AWS's reason", async () => {
    await expect(deploy(template({ Name: 'bad', ScheduleExpression: 'rate(1 second)' }))).rejects.toThrow(
      'Resource Wave (AWS::Scheduler::Schedule): Invalid Schedule Expression rate(1 second).',
    );
  });
});
