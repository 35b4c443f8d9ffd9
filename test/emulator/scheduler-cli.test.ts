/** EventBridge Scheduler through the AWS CLI v1 (`aws scheduler ...`), as a learner would call it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LocalCloud } from '../../emulator/cloud.ts';

const run = promisify(execFile);

describe('EventBridge Scheduler through the AWS CLI', () => {
  let cloud: LocalCloud;
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_DEFAULT_REGION: 'eu-west-1',
  };
  const aws = async (...args: string[]) => {
    const { stdout } = await run(
      'aws',
      ['--endpoint-url', cloud.endpoint, '--output', 'json', 'scheduler', ...args],
      { env },
    );
    return stdout.trim() ? JSON.parse(stdout) : {};
  };

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 10, 21, 10, 0, 0) });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('creates a group and a cron schedule in a time zone, reads and lists them, and deletes the group', async () => {
    expect(await aws('create-schedule-group', '--name', 'outbreaks')).toEqual({
      ScheduleGroupArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule-group/outbreaks',
    });
    await aws(
      'create-schedule',
      '--name',
      'morning',
      '--group-name',
      'outbreaks',
      '--schedule-expression',
      'cron(0 9 * * ? *)',
      '--schedule-expression-timezone',
      'Europe/Paris',
      '--flexible-time-window',
      'Mode=OFF',
      '--start-date',
      '2026-12-01T00:00:00Z',
      '--target',
      'Arn=arn:aws:lambda:eu-west-1:123456789012:function:outbreak,RoleArn=arn:aws:iam::123456789012:role/scheduler',
    );
    const got = await aws('get-schedule', '--name', 'morning', '--group-name', 'outbreaks');
    expect(got).toMatchObject({
      Name: 'morning',
      GroupName: 'outbreaks',
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      StartDate: Date.parse('2026-12-01T00:00:00Z') / 1000,
    });
    expect(
      (await aws('list-schedules', '--group-name', 'outbreaks')).Schedules.map(
        (s: { Name: string }) => s.Name,
      ),
    ).toEqual(['morning']);
    await aws('delete-schedule-group', '--name', 'outbreaks');
    await expect(aws('get-schedule-group', '--name', 'outbreaks')).rejects.toMatchObject({
      stderr: expect.stringContaining(
        '(ResourceNotFoundException) when calling the GetScheduleGroup operation: Schedule group outbreaks does not exist.',
      ),
    });
  });

  it("prints AWS's error for an invalid expression", async () => {
    await expect(
      aws(
        'create-schedule',
        '--name',
        'bad',
        '--schedule-expression',
        'rate(10 seconds)',
        '--flexible-time-window',
        'Mode=OFF',
        '--target',
        'Arn=arn:aws:lambda:eu-west-1:123456789012:function:f,RoleArn=arn:aws:iam::123456789012:role/r',
      ),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'An error occurred (ValidationException) when calling the CreateSchedule operation: Invalid Schedule Expression rate(10 seconds).',
      ),
    });
  });
});
