/**
 * osls's `schedule: { method: 'scheduler' }` on the local cloud: the real `osls package` of
 * test/fixtures/scheduler-service, deployed, then fired on the virtual clock; each firing is
 * seen where a learner would see it, as a virus written to DynamoDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { LocalCloud } from '../../emulator/cloud.ts';
import type { DeployedStack } from '../../emulator/stack/provider.ts';

const SERVICE = resolve('test/fixtures/scheduler-service');

describe('an osls service on EventBridge Scheduler', () => {
  // 08:00 in Paris (UTC+1 in November).
  const START = Date.parse('2026-11-21T07:00:00Z');
  let cloud: LocalCloud;
  let stack: DeployedStack;
  let ddb: DynamoDBClient;
  let scheduler: SchedulerClient;
  const origins = async () => {
    const { Items = [] } = await ddb.send(
      new ScanCommand({ TableName: stack.resources.get('VirusTable')!.physicalId }),
    );
    return Items.map((i) => i.origin.S).sort();
  };

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: START });
    stack = await cloud.deployService(SERVICE);
    ddb = new DynamoDBClient(cloud.clientConfig());
    scheduler = new SchedulerClient(cloud.clientConfig());
  }, 120_000);
  afterAll(async () => {
    ddb?.destroy();
    scheduler?.destroy();
    await cloud?.stop();
  });

  it('deploys the schedule osls generates, in the default group, on the role osls extends', async () => {
    const generated = [...stack.resources.values()].filter((r) => r.type === 'AWS::Scheduler::Schedule');
    expect(generated.map((r) => r.logicalId).sort()).toEqual([
      'CreateVirusSchedulerSchedule1',
      'OutbreakOnce',
    ]);
    const morning = await scheduler.send(
      new GetScheduleCommand({ Name: stack.resources.get('CreateVirusSchedulerSchedule1')!.physicalId }),
    );
    expect(morning).toMatchObject({
      GroupName: 'default',
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: cloud.lambda.arnOf('sched-local-createVirus'),
        Input: '{"origin":"morning"}',
        RoleArn: stack.resources.get('IamRoleLambdaExecution')!.attributes.Arn,
      },
    });
    expect(
      (await scheduler.send(new ListSchedulesCommand({ GroupName: 'sched-local-outbreaks' }))).Schedules?.map(
        (s) => s.Name,
      ),
    ).toEqual([stack.resources.get('OutbreakOnce')!.physicalId]);
  });

  it('fires the morning schedule at 09:00 Paris time, invoking the function with its input', async () => {
    await cloud.clock.advanceTo(Date.parse('2026-11-21T07:59:00Z'));
    expect(await origins()).toEqual([]);
    await cloud.clock.advanceTo(Date.parse('2026-11-21T08:01:00Z'));
    expect(await origins()).toEqual(['morning']);
    const [fire] = cloud.trace.find('scheduler.fire');
    expect(fire).toMatchObject({
      time: Date.parse('2026-11-21T08:00:00Z'),
      timezone: 'Europe/Paris',
      expression: 'cron(0 9 * * ? *)',
    });
  });

  it('fires the one-time schedule at noon Paris time once, and Scheduler deletes it', async () => {
    await cloud.clock.advanceTo(Date.parse('2026-11-21T11:01:00Z'));
    expect(await origins()).toEqual(['morning', 'once']);
    await expect(
      scheduler.send(
        new GetScheduleCommand({
          Name: stack.resources.get('OutbreakOnce')!.physicalId,
          GroupName: 'sched-local-outbreaks',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await cloud.clock.advanceTo(Date.parse('2026-11-22T08:01:00Z'));
    expect(await origins()).toEqual(['morning', 'morning', 'once']);
  });

  it('removes the schedules and the group with the stack', async () => {
    await cloud.deleteStack(stack.name);
    expect(cloud.scheduler.all()).toEqual([]);
    expect(cloud.scheduler.listScheduleGroups().map((g) => g.Name)).toEqual(['default']);
  });
});
