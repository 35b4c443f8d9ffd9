import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { LocalCloud } from '../../emulator/cloud.ts';
import { functionsTemplate, tempService, waitFor } from '../support/temp-service.ts';

describe('the session-4 shape on the local cloud', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 10, 21, 10, 0, 0), seed: 4 });
    await cloud.deployService(resolve('solutions/session-4'));
  });
  afterAll(async () => cloud?.stop());

  it('runs 60 virtual minutes: 180 executions whose waits match ChooseWaitTime to the second', async () => {
    const t0 = cloud.clock.now();
    await cloud.clock.advance(60 * 60_000);
    const started = cloud.trace.find('sfn.execution.start', (e) => e.time - t0 <= 60 * 60_000);
    expect(started).toHaveLength(180);
    // Let the last waits (up to 60 s) finish.
    await cloud.clock.advance(90_000);
    let checked = 0;
    for (const start of started) {
      const states = cloud.trace.find('sfn.state.exit', (e) => e.executionArn === start.executionArn);
      const chose = (states.find((s) => s.state === 'ChooseWaitTime')?.output as { numberOfSeconds: number })
        .numberOfSeconds;
      const enter = cloud.trace.find(
        'sfn.state.enter',
        (e) => e.executionArn === start.executionArn && e.state === 'WaitXSeconds',
      )[0];
      const exit = states.find((s) => s.state === 'WaitXSeconds')!;
      expect(Number.isInteger(chose) && chose >= 1 && chose <= 60).toBe(true);
      expect(Math.round((exit.time - enter.time) / 1000)).toBe(chose);
      checked++;
    }
    expect(checked).toBe(180);
    const ends = cloud.trace.find('sfn.execution.end', (e) =>
      started.some((s) => s.executionArn === e.executionArn),
    );
    expect(ends.every((e) => e.status === 'SUCCEEDED')).toBe(true);
    // The trace links each execution to the event, the rule and the schedule behind it.
    const chain = cloud.trace.causes(started[0].seq).map((e) => e.kind);
    expect(chain).toEqual([
      'schedule.fire',
      'target.invoke',
      'invoke.start',
      'events.put',
      'rule.match',
      'target.invoke',
      'sfn.execution.start',
    ]);
  });
});

describe('Step Functions through @aws-sdk/client-sfn', () => {
  const service = tempService({
    'functions/alert.ts':
      'export const main = async (event: { token: string; level: number }) => { console.log("approve with", event.token); return { sent: true }; };',
  });
  let cloud: LocalCloud;
  let sfn: SFNClient;
  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 10, 21, 10, 0, 0) });
    await cloud.deployTemplate(functionsTemplate({ alert: { handler: 'functions/alert.main' } }), {
      serviceDir: service.dir,
      stackName: 'test-local',
    });
    sfn = new SFNClient(cloud.clientConfig());
  });
  afterAll(async () => {
    sfn?.destroy();
    await cloud?.stop();
    service.remove();
  });

  it('waits on a task token until SendTaskSuccess, then continues with its output', async () => {
    const definition = {
      StartAt: 'PandemicAlert',
      States: {
        PandemicAlert: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: {
            FunctionName: 'test-local-alert',
            Payload: { 'token.$': '$$.Task.Token', 'level.$': '$.level' },
          },
          ResultPath: '$.approval',
          Next: 'Decide',
        },
        Decide: {
          Type: 'Choice',
          Choices: [{ Variable: '$.approval.approved', BooleanEquals: true, Next: 'Approved' }],
          Default: 'Rejected',
        },
        Approved: { Type: 'Succeed' },
        Rejected: { Type: 'Fail', Error: 'Rejected', Cause: 'Nobody approved' },
      },
    };
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'alerts',
        definition: JSON.stringify(definition),
        roleArn: 'arn:aws:iam::123456789012:role/sfn',
      }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'alert-1', input: '{"level": 5}' }),
    );
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'alert-1', input: '{"level": 6}' })),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    await waitFor(() => cloud.sfn.pendingTaskTokens().length === 1, 'a task token');
    await cloud.clock.advance(3_600_000);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    const [{ token }] = cloud.sfn.pendingTaskTokens();
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved": true}' }));
    await cloud.clock.advanceUntil(
      () => cloud.sfn.describeExecution(executionArn!).status !== 'RUNNING',
      60_000,
    );
    const done = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ level: 5, approval: { approved: true } });
    const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!.map(
      (e) => e.type,
    );
    expect(history).toEqual(
      expect.arrayContaining([
        'ExecutionStarted',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskSucceeded',
        'ChoiceStateEntered',
        'SucceedStateEntered',
        'ExecutionSucceeded',
      ]),
    );
    expect(
      (
        await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }))
      ).executions?.map((e) => e.name),
    ).toEqual(['alert-1']);
  });
});
