/**
 * EventBridge Scheduler through @aws-sdk/client-scheduler, on the virtual clock: the API, the
 * errors AWS answers with, and the firings (Lambda, Step Functions, EventBridge targets).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  SchedulerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { LocalCloud } from '../../emulator/cloud.ts';
import { functionsTemplate, tempService } from '../support/temp-service.ts';

const service = tempService({
  'functions/sink.ts': 'export const main = async (event: unknown) => ({ got: event });',
  // A function that schedules: its role may call CreateSchedule, but not pass the target's role.
  'functions/planner.ts': `
import { SchedulerClient, CreateScheduleCommand } from '@aws-sdk/client-scheduler';
const scheduler = new SchedulerClient({});
export const main = async () => {
  try {
    await scheduler.send(new CreateScheduleCommand({ Name: 'planned', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: process.env.SINK_ARN, RoleArn: process.env.ROLE_ARN } }));
    return { created: true };
  } catch (e) {
    return { error: e.name, message: e.message };
  }
};`,
});

describe('EventBridge Scheduler through @aws-sdk/client-scheduler', () => {
  const START = Date.UTC(2026, 10, 21, 10, 0, 0);
  const ROLE = 'arn:aws:iam::123456789012:role/test-local-lambdaRole';
  let cloud: LocalCloud;
  let scheduler: SchedulerClient;
  let sinkArn: string;
  let machineArn: string;
  // The sink's invocations that a firing of this schedule led to (the trace's causal chain).
  const received = (name: string) =>
    cloud.trace
      .find(
        'invoke.start',
        (e) =>
          e.function === 'test-local-sink' &&
          cloud.trace.causes(e.seq).some((c) => c.kind === 'scheduler.fire' && c.schedule === name),
      )
      .map((e) => ({ seq: e.seq, time: e.time, event: e.event as Record<string, any> }));
  const schedule = (
    over: Partial<CreateScheduleCommandInput> & { Name: string },
  ): CreateScheduleCommandInput => ({
    ScheduleExpression: 'rate(5 minutes)',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: sinkArn, RoleArn: ROLE, Input: '{"from":"scheduler"}' },
    ...over,
  });
  const error = async (promise: Promise<unknown>) => {
    const e = (await promise.then(
      () => undefined,
      (x: unknown) => x,
    )) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
    expect(e, 'the call is refused').toBeDefined();
    return { name: e!.name, message: e!.message, status: e!.$metadata?.httpStatusCode };
  };

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: START, seed: 7 });
    const statements = [
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: ['arn:aws:lambda:eu-west-1:123456789012:function:test-local-sink'],
      },
      { Effect: 'Allow', Action: ['states:StartExecution'], Resource: '*' },
      { Effect: 'Allow', Action: ['events:PutEvents'], Resource: '*' },
      { Effect: 'Allow', Action: ['scheduler:CreateSchedule'], Resource: '*' },
    ];
    const env = {
      SINK_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:test-local-sink',
      ROLE_ARN: ROLE,
    };
    await cloud.deployTemplate(
      functionsTemplate(
        {
          sink: { handler: 'functions/sink.main' },
          planner: { handler: 'functions/planner.main', timeout: 10, env },
        },
        statements,
      ),
      { serviceDir: service.dir, stackName: 'test-local' },
    );
    sinkArn = cloud.lambda.arnOf('test-local-sink');
    machineArn = cloud.sfn.createStateMachine({
      name: 'echo',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }),
      roleArn: ROLE,
    }).stateMachineArn;
    scheduler = new SchedulerClient(cloud.clientConfig());
  });
  afterAll(async () => {
    scheduler?.destroy();
    await cloud?.stop();
    service.remove();
  });

  it('creates, reads, lists, updates and deletes a schedule', async () => {
    const { ScheduleArn } = await scheduler.send(
      new CreateScheduleCommand(
        schedule({
          Name: 'crud',
          ScheduleExpression: 'cron(0 12 * * ? *)',
          ScheduleExpressionTimezone: 'Europe/Paris',
          Description: 'noon in Paris',
          State: 'DISABLED',
        }),
      ),
    );
    expect(ScheduleArn).toBe('arn:aws:scheduler:eu-west-1:123456789012:schedule/default/crud');
    const got = await scheduler.send(new GetScheduleCommand({ Name: 'crud' }));
    expect(got).toMatchObject({
      Arn: ScheduleArn,
      Name: 'crud',
      GroupName: 'default',
      ScheduleExpression: 'cron(0 12 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'DISABLED',
      ActionAfterCompletion: 'NONE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: sinkArn, RoleArn: ROLE },
    });
    // Created now, on the virtual clock (which runs at real speed while a request is in flight).
    expect(Math.abs(got.CreationDate!.getTime() - cloud.clock.now())).toBeLessThan(5000);
    const listed = await scheduler.send(new ListSchedulesCommand({ NamePrefix: 'cr' }));
    expect(listed.Schedules).toEqual([
      expect.objectContaining({
        Name: 'crud',
        GroupName: 'default',
        State: 'DISABLED',
        Target: { Arn: sinkArn },
      }),
    ]);
    await scheduler.send(
      new UpdateScheduleCommand(schedule({ Name: 'crud', ScheduleExpression: 'rate(1 hour)' })),
    );
    const updated = await scheduler.send(new GetScheduleCommand({ Name: 'crud' }));
    expect(updated).toMatchObject({ ScheduleExpression: 'rate(1 hour)', State: 'ENABLED' });
    expect(updated).not.toHaveProperty('Description');
    expect(updated).not.toHaveProperty('ScheduleExpressionTimezone');
    await scheduler.send(new DeleteScheduleCommand({ Name: 'crud' }));
    expect(await error(scheduler.send(new GetScheduleCommand({ Name: 'crud' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Schedule crud does not exist.',
      status: 404,
    });
  });

  it("answers AWS's errors: Invalid Schedule Expression, ConflictException, ResourceNotFoundException", async () => {
    expect(
      await error(
        scheduler.send(
          new CreateScheduleCommand(schedule({ Name: 'bad', ScheduleExpression: 'rate(10 seconds)' })),
        ),
      ),
    ).toEqual({
      name: 'ValidationException',
      message: 'Invalid Schedule Expression rate(10 seconds).',
      status: 400,
    });
    await scheduler.send(new CreateScheduleCommand(schedule({ Name: 'twice', State: 'DISABLED' })));
    expect(await error(scheduler.send(new CreateScheduleCommand(schedule({ Name: 'twice' }))))).toEqual({
      name: 'ConflictException',
      message: 'Schedule twice already exists.',
      status: 409,
    });
    expect(
      await error(scheduler.send(new UpdateScheduleCommand(schedule({ Name: 'never-made' })))),
    ).toMatchObject({ name: 'ResourceNotFoundException', message: 'Schedule never-made does not exist.' });
    expect(
      await error(scheduler.send(new CreateScheduleCommand(schedule({ Name: 'lost', GroupName: 'nope' })))),
    ).toMatchObject({ name: 'ResourceNotFoundException', message: 'Schedule group nope does not exist.' });
    expect(
      (await error(scheduler.send(new CreateScheduleCommand(schedule({ Name: 'no spaces' }))))).name,
    ).toBe('ValidationException');
    expect(
      await error(
        scheduler.send(
          new CreateScheduleCommand(schedule({ Name: 'flex', FlexibleTimeWindow: { Mode: 'FLEXIBLE' } })),
        ),
      ),
    ).toMatchObject({
      name: 'ValidationException',
      message: 'MaximumWindowInMinutes is required when Mode is FLEXIBLE.',
    });
    await scheduler.send(new DeleteScheduleCommand({ Name: 'twice' }));
  });

  it('refuses targets the local cloud cannot invoke, saying which it can', async () => {
    const sns = await error(
      scheduler.send(
        new CreateScheduleCommand(
          schedule({
            Name: 'sns',
            Target: { Arn: 'arn:aws:sns:eu-west-1:123456789012:topic', RoleArn: ROLE },
          }),
        ),
      ),
    );
    expect(sns).toMatchObject({ name: 'ValidationException' });
    expect(sns.message).toContain(
      'it invokes Lambda functions, Step Functions state machines, EventBridge event buses and SQS queues',
    );
    const universal = await error(
      scheduler.send(
        new CreateScheduleCommand(
          schedule({
            Name: 'sdk',
            Target: { Arn: 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage', RoleArn: ROLE, Input: '{}' },
          }),
        ),
      ),
    );
    expect(universal.message).toMatch(
      /^The local cloud's EventBridge Scheduler cannot invoke the universal target sqs:sendMessage:/,
    );
    expect(
      await error(
        scheduler.send(
          new CreateScheduleCommand(
            schedule({ Name: 'bus', Target: { Arn: cloud.events.busArn('default'), RoleArn: ROLE } }),
          ),
        ),
      ),
    ).toMatchObject({
      name: 'ValidationException',
      message:
        'EventBridgeParameters with Source and DetailType are required for an EventBridge PutEvents target.',
    });
  });

  it('manages schedule groups, their tags, and deletes a group with its schedules', async () => {
    const { ScheduleGroupArn } = await scheduler.send(
      new CreateScheduleGroupCommand({ Name: 'outbreaks', Tags: [{ Key: 'team', Value: 'dojo' }] }),
    );
    expect(ScheduleGroupArn).toBe('arn:aws:scheduler:eu-west-1:123456789012:schedule-group/outbreaks');
    expect(await scheduler.send(new GetScheduleGroupCommand({ Name: 'outbreaks' }))).toMatchObject({
      Arn: ScheduleGroupArn,
      Name: 'outbreaks',
      State: 'ACTIVE',
    });
    expect(
      (await scheduler.send(new ListScheduleGroupsCommand({}))).ScheduleGroups?.map((g) => g.Name),
    ).toEqual(['default', 'outbreaks']);
    expect(await error(scheduler.send(new CreateScheduleGroupCommand({ Name: 'outbreaks' })))).toMatchObject({
      name: 'ConflictException',
      message: 'Schedule group outbreaks already exists.',
    });
    await scheduler.send(
      new TagResourceCommand({ ResourceArn: ScheduleGroupArn, Tags: [{ Key: 'stage', Value: 'local' }] }),
    );
    await scheduler.send(new UntagResourceCommand({ ResourceArn: ScheduleGroupArn, TagKeys: ['team'] }));
    expect(
      (await scheduler.send(new ListTagsForResourceCommand({ ResourceArn: ScheduleGroupArn }))).Tags,
    ).toEqual([{ Key: 'stage', Value: 'local' }]);

    await scheduler.send(
      new CreateScheduleCommand(schedule({ Name: 'wave', GroupName: 'outbreaks', State: 'DISABLED' })),
    );
    expect((await scheduler.send(new GetScheduleCommand({ Name: 'wave', GroupName: 'outbreaks' }))).Arn).toBe(
      'arn:aws:scheduler:eu-west-1:123456789012:schedule/outbreaks/wave',
    );
    expect(
      (await scheduler.send(new ListSchedulesCommand({ GroupName: 'outbreaks' }))).Schedules?.map(
        (s) => s.Name,
      ),
    ).toEqual(['wave']);
    await scheduler.send(new DeleteScheduleGroupCommand({ Name: 'outbreaks' }));
    expect(
      (await error(scheduler.send(new GetScheduleCommand({ Name: 'wave', GroupName: 'outbreaks' })))).name,
    ).toBe('ResourceNotFoundException');
    expect(await error(scheduler.send(new DeleteScheduleGroupCommand({ Name: 'default' })))).toMatchObject({
      name: 'ValidationException',
    });
  });

  it('pages ListSchedules with MaxResults and NextToken', async () => {
    for (const n of [1, 2, 3])
      await scheduler.send(new CreateScheduleCommand(schedule({ Name: `page-${n}`, State: 'DISABLED' })));
    const first = await scheduler.send(new ListSchedulesCommand({ NamePrefix: 'page-', MaxResults: 2 }));
    expect(first.Schedules?.map((s) => s.Name)).toEqual(['page-1', 'page-2']);
    const rest = await scheduler.send(
      new ListSchedulesCommand({ NamePrefix: 'page-', MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(rest.Schedules?.map((s) => s.Name)).toEqual(['page-3']);
    expect(rest.NextToken).toBeUndefined();
    expect(
      (await scheduler.send(new ListSchedulesCommand({ State: 'ENABLED', NamePrefix: 'page-' }))).Schedules,
    ).toEqual([]);
    for (const n of [1, 2, 3]) await scheduler.send(new DeleteScheduleCommand({ Name: `page-${n}` }));
  });

  it('fires a rate schedule at once, then every period, invoking the Lambda asynchronously with Input, traced with causes', async () => {
    await scheduler.send(
      new CreateScheduleCommand(
        schedule({
          Name: 'every5',
          Target: {
            Arn: sinkArn,
            RoleArn: ROLE,
            Input: '{"schedule":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>"}',
          },
        }),
      ),
    );
    const created = (
      await scheduler.send(new GetScheduleCommand({ Name: 'every5' }))
    ).CreationDate!.getTime();
    await cloud.clock.advance(11 * 60_000);
    // Fired at once and every 5 minutes (each invocation then starts when its sandbox is up).
    const fired = cloud.trace.find('scheduler.fire', (e) => e.schedule === 'every5');
    expect(fired.map((f) => f.time - created)).toEqual([0, 5 * 60_000, 10 * 60_000]);
    const got = received('every5');
    expect(got).toHaveLength(3);
    expect(got[1].event).toEqual({
      schedule: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/default/every5',
      at: new Date(Math.floor((created + 5 * 60_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    });
    const chain = cloud.trace.causes(got[1].seq).map((e) => e.kind);
    expect(chain).toEqual(['scheduler.fire', 'scheduler.invoke', 'invoke.start']);
    expect(cloud.trace.get(cloud.trace.causes(got[1].seq)[0].seq)).toMatchObject({
      schedule: 'every5',
      group: 'default',
      expression: 'rate(5 minutes)',
      timezone: 'UTC',
    });
    await scheduler.send(new DeleteScheduleCommand({ Name: 'every5' }));
    await cloud.clock.advance(10 * 60_000);
    expect(received('every5')).toHaveLength(3);
  });

  it('fires a one-time at() schedule in its time zone once, and deletes it after with ActionAfterCompletion DELETE', async () => {
    // 30 minutes from now, on the Paris clock (UTC+1 in November).
    const paris = new Date(cloud.clock.now() + 30 * 60_000 + 3_600_000).toISOString().slice(0, 19);
    await scheduler.send(
      new CreateScheduleCommand(
        schedule({
          Name: 'once',
          ScheduleExpression: `at(${paris})`,
          ScheduleExpressionTimezone: 'Europe/Paris',
          ActionAfterCompletion: 'DELETE',
        }),
      ),
    );
    await scheduler.send(
      new CreateScheduleCommand(
        schedule({
          Name: 'once-kept',
          ScheduleExpression: `at(${paris})`,
          ScheduleExpressionTimezone: 'Europe/Paris',
        }),
      ),
    );
    await cloud.clock.advance(29 * 60_000);
    expect([...received('once'), ...received('once-kept')]).toEqual([]);
    await cloud.clock.advance(2 * 60_000);
    expect(received('once')).toHaveLength(1);
    expect(received('once-kept')).toHaveLength(1);
    expect((await error(scheduler.send(new GetScheduleCommand({ Name: 'once' })))).name).toBe(
      'ResourceNotFoundException',
    );
    expect((await scheduler.send(new GetScheduleCommand({ Name: 'once-kept' }))).State).toBe('ENABLED');
    expect(cloud.trace.find('scheduler.complete', (e) => e.schedule === 'once')).toEqual([
      expect.objectContaining({ deleted: true }),
    ]);
    await cloud.clock.advance(60 * 60_000);
    expect(received('once-kept')).toHaveLength(1);
    await scheduler.send(new DeleteScheduleCommand({ Name: 'once-kept' }));
  });

  it('fires a FLEXIBLE schedule at a time within its window, the same for the same seed', async () => {
    const hour = Math.ceil((cloud.clock.now() + 1) / 3_600_000) * 3_600_000;
    await scheduler.send(
      new CreateScheduleCommand(
        schedule({
          Name: 'flexible',
          ScheduleExpression: 'cron(0 * * * ? *)',
          FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
        }),
      ),
    );
    const planned = cloud.scheduler.nextFiringOf('flexible')!;
    await cloud.clock.advanceTo(hour + 3 * 3_600_000);
    const times = received('flexible').map((r) => r.time);
    expect(times).toHaveLength(3);
    expect(times[0]).toBe(planned);
    times.forEach((t, i) => {
      const offset = t - (hour + i * 3_600_000);
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(15 * 60_000);
    });
    // Drawn per firing: three offsets, not one offset three times.
    expect(new Set(times.map((t) => t % 3_600_000)).size).toBeGreaterThan(1);
    await scheduler.send(new DeleteScheduleCommand({ Name: 'flexible' }));
  });

  it('sends the default notification to a target without Input: aws.scheduler, detail the string "{}"', async () => {
    await scheduler.send(
      new CreateScheduleCommand(schedule({ Name: 'bare', Target: { Arn: sinkArn, RoleArn: ROLE } })),
    );
    await cloud.clock.advance(1000);
    const [got] = received('bare');
    const fired = cloud.trace.find('scheduler.fire', (e) => e.schedule === 'bare')[0];
    expect(got.event).toEqual({
      version: '0',
      id: cloud.trace.find('scheduler.invoke', (e) => e.schedule === 'bare')[0].executionId,
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '123456789012',
      time: new Date(Math.floor(fired.time / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      region: 'eu-west-1',
      resources: ['arn:aws:scheduler:eu-west-1:123456789012:schedule/default/bare'],
      detail: '{}',
    });
    await scheduler.send(new DeleteScheduleCommand({ Name: 'bare' }));
  });

  it('starts a Step Functions execution with the Input', async () => {
    const hour = Math.ceil((cloud.clock.now() + 1) / 3_600_000) * 3_600_000;
    await scheduler.send(
      new CreateScheduleCommand(
        schedule({
          Name: 'machine',
          ScheduleExpression: 'cron(0 * * * ? *)',
          Target: { Arn: machineArn, RoleArn: ROLE, Input: '{"virus":"v1"}' },
        }),
      ),
    );
    await cloud.clock.advanceTo(hour + 1000);
    const started = cloud.trace.find('sfn.execution.start', (e) => e.time === hour);
    expect(started).toHaveLength(1);
    expect(cloud.trace.causes(started[0].seq).map((e) => e.kind)).toEqual([
      'scheduler.fire',
      'scheduler.invoke',
      'sfn.execution.start',
    ]);
    await scheduler.send(new DeleteScheduleCommand({ Name: 'machine' }));
  });

  it('puts an event on a bus with EventBridgeParameters, which a rule routes', async () => {
    const eb = new EventBridgeClient(cloud.clientConfig());
    await eb.send(new CreateEventBusCommand({ Name: 'dojo' }));
    await eb.send(
      new PutRuleCommand({
        Name: 'ticks',
        EventBusName: 'dojo',
        EventPattern: JSON.stringify({ source: ['dojo.scheduler'], 'detail-type': ['Schedule Tick'] }),
      }),
    );
    await eb.send(
      new PutTargetsCommand({ Rule: 'ticks', EventBusName: 'dojo', Targets: [{ Id: 'sink', Arn: sinkArn }] }),
    );
    eb.destroy();
    await scheduler.send(
      new CreateScheduleCommand(
        schedule({
          Name: 'ticks',
          Target: {
            Arn: cloud.events.busArn('dojo'),
            RoleArn: ROLE,
            Input: '{"tick":1}',
            EventBridgeParameters: { Source: 'dojo.scheduler', DetailType: 'Schedule Tick' },
          },
        }),
      ),
    );
    await cloud.clock.advance(1000);
    const [got] = received('ticks');
    expect(got.event).toMatchObject({
      source: 'dojo.scheduler',
      'detail-type': 'Schedule Tick',
      detail: { tick: 1 },
    });
    expect(cloud.trace.causes(got.seq).map((e) => e.kind)).toEqual([
      'scheduler.fire',
      'scheduler.invoke',
      'events.put',
      'rule.match',
      'target.invoke',
      'invoke.start',
    ]);
    await scheduler.send(new DeleteScheduleCommand({ Name: 'ticks' }));
  });

  it('traces a firing its role may not make, as Scheduler assumes the role on AWS', async () => {
    const statements = [
      {
        Effect: 'Allow' as const,
        Action: ['lambda:InvokeFunction'],
        Resource: ['arn:aws:lambda:eu-west-1:123456789012:function:other'],
      },
    ];
    cloud.roles.set('arn:aws:iam::123456789012:role/narrow', statements);
    await scheduler.send(
      new CreateScheduleCommand(
        schedule({
          Name: 'denied',
          Target: { Arn: sinkArn, RoleArn: 'arn:aws:iam::123456789012:role/narrow' },
        }),
      ),
    );
    await cloud.clock.advance(1000);
    expect(received('denied')).toEqual([]);
    const [denied] = cloud.trace.find('scheduler.error', (e) => e.schedule === 'denied');
    expect(denied.error).toBe(
      `EventBridge Scheduler could not invoke ${sinkArn} with the role arn:aws:iam::123456789012:role/narrow: the role does not allow lambda:InvokeFunction on ${sinkArn}.`,
    );
    await scheduler.send(new DeleteScheduleCommand({ Name: 'denied' }));
  });

  it("checks a function's calls against its role: CreateSchedule needs iam:PassRole on the target's role", async () => {
    const out = (await cloud.lambda.invoke('test-local-planner', {}, { source: 'test' })) as {
      payload?: unknown;
    };
    expect(out.payload).toEqual({
      error: 'AccessDeniedException',
      message: `User: arn:aws:sts::123456789012:assumed-role/test-local-lambdaRole/test-local-planner is not authorized to perform: iam:PassRole on resource: ${ROLE} because no identity-based policy allows the iam:PassRole action`,
    });
    expect(cloud.scheduler.all().map((s) => s.Name)).not.toContain('planned');
  });

  it('keeps RetryPolicy and DeadLetterConfig and gives them back', async () => {
    const Target = {
      Arn: sinkArn,
      RoleArn: ROLE,
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:dlq' },
    };
    await scheduler.send(new CreateScheduleCommand(schedule({ Name: 'retry', State: 'DISABLED', Target })));
    expect((await scheduler.send(new GetScheduleCommand({ Name: 'retry' }))).Target).toEqual(Target);
    expect(
      (
        await error(
          scheduler.send(
            new UpdateScheduleCommand(
              schedule({ Name: 'retry', Target: { ...Target, RetryPolicy: { MaximumRetryAttempts: 200 } } }),
            ),
          ),
        )
      ).message,
    ).toMatch(
      /maximumRetryAttempts' failed to satisfy constraint: Member must have value between 0 and 185$/,
    );
    await scheduler.send(new DeleteScheduleCommand({ Name: 'retry' }));
  });
  // Last: it moves the clock months ahead. "When the time shifts forward in Spring, your
  // schedule invocation gets skipped if the cron expression falls on a non-existent date and
  // time." https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#daylist-savings-time
  it('fires a cron in New York across the spring-forward of 2027-03-14: 02:30 that day does not exist, so it is skipped', async () => {
    await scheduler.send(
      new CreateScheduleCommand(
        schedule({
          Name: 'new-york',
          ScheduleExpression: 'cron(30 2 13-15 3 ? 2027)',
          ScheduleExpressionTimezone: 'America/New_York',
        }),
      ),
    );
    await cloud.clock.advanceTo(Date.parse('2027-03-16T00:00:00Z'));
    const fired = cloud.trace
      .find('scheduler.fire', (e) => e.schedule === 'new-york')
      .map((e) => new Date(e.time).toISOString());
    expect(fired).toEqual(['2027-03-13T07:30:00.000Z', '2027-03-15T06:30:00.000Z']);
    expect(received('new-york')).toHaveLength(2);
    // Its last firing is over (the year field ends in 2027-03): the schedule completed and stays.
    expect(cloud.trace.find('scheduler.complete', (e) => e.schedule === 'new-york')).toEqual([
      expect.objectContaining({ deleted: false }),
    ]);
    await scheduler.send(new DeleteScheduleCommand({ Name: 'new-york' }));
  });
});
