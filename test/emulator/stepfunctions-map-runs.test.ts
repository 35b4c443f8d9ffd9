/**
 * A Distributed Map's runs and child executions, read through the real SDK as AWS documents
 * them: ListMapRuns, DescribeMapRun (item and execution counts), ListExecutions with a
 * mapRunArn, and each child's own DescribeExecution and GetExecutionHistory.
 * An inline Map's cap of 40 iterations at once is here too.
 * Sources: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html
 * and the API reference of ListMapRuns, DescribeMapRun and ListExecutions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { LocalCloud } from '../../emulator/index.ts';

const ROLE = 'arn:aws:iam::123456789012:role/sfn';

/** Doubles each number; fails on a negative one (`States.TaskFailed`-like, by a Fail state). */
const processor = (extra: Record<string, unknown> = {}) => ({
  ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Choice',
      Choices: [{ Variable: '$.n', NumericLessThan: 0, Next: 'Refuse' }],
      Default: 'Double',
    },
    Refuse: { Type: 'Fail', Error: 'Negative', Cause: 'n is below zero' },
    Double: { Type: 'Pass', Parameters: { 'twice.$': 'States.MathAdd($.n, $.n)' }, End: true },
    ...extra,
  },
});

describe('Distributed Map runs through the SDK', () => {
  let cloud: LocalCloud;
  let sfn: SFNClient;
  const machine = async (name: string, map: Record<string, unknown>) =>
    (
      await sfn.send(
        new CreateStateMachineCommand({
          name,
          roleArn: ROLE,
          definition: JSON.stringify({
            StartAt: 'Items',
            States: { Items: { Type: 'Map', ...map, End: true } },
          }),
        }),
      )
    ).stateMachineArn!;
  const run = async (stateMachineArn: string, input: unknown) => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
    );
    await cloud.clock.advance(1000);
    return executionArn!;
  };

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 11, 1, 9, 0, 0) });
    sfn = new SFNClient(cloud.clientConfig());
  });
  afterAll(async () => {
    sfn?.destroy();
    await cloud?.stop();
  });

  it('lists one map run per Distributed Map, with its child executions and their histories', async () => {
    const arn = await machine('doubler', {
      Label: 'Doubling',
      ItemsPath: '$.items',
      ItemSelector: { 'n.$': '$$.Map.Item.Value' },
      ItemProcessor: processor(),
      MaxConcurrency: 2,
    });
    const executionArn = await run(arn, { items: [1, 2, 3] });
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('SUCCEEDED');

    const { mapRuns } = await sfn.send(new ListMapRunsCommand({ executionArn }));
    expect(mapRuns).toHaveLength(1);
    const [mapRun] = mapRuns!;
    expect(mapRun.mapRunArn).toMatch(
      /^arn:aws:states:eu-west-1:123456789012:mapRun:doubler\/Doubling:[0-9a-f-]{36}$/,
    );
    expect(mapRun.stateMachineArn).toBe(`${arn}/Doubling`);
    expect(mapRun.executionArn).toBe(executionArn);
    expect(mapRun.stopDate).toBeInstanceOf(Date);

    const described = await sfn.send(new DescribeMapRunCommand({ mapRunArn: mapRun.mapRunArn }));
    expect(described).toMatchObject({
      status: 'SUCCEEDED',
      maxConcurrency: 2,
      toleratedFailureCount: 0,
      toleratedFailurePercentage: 0,
      itemCounts: { total: 3, succeeded: 3, failed: 0, pending: 0, running: 0, aborted: 0 },
      executionCounts: { total: 3, succeeded: 3 },
    });

    const { executions } = await sfn.send(new ListExecutionsCommand({ mapRunArn: mapRun.mapRunArn }));
    expect(executions).toHaveLength(3);
    for (const child of executions!) {
      expect(child.executionArn).toMatch(
        /^arn:aws:states:eu-west-1:123456789012:execution:doubler\/Doubling:/,
      );
      expect(child).toMatchObject({
        status: 'SUCCEEDED',
        mapRunArn: mapRun.mapRunArn,
        stateMachineArn: `${arn}/Doubling`,
      });
    }
    const outputs = await Promise.all(
      executions!.map(async (c) =>
        JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: c.executionArn }))).output!),
      ),
    );
    expect(outputs.map((o) => o.twice).sort()).toEqual([2, 4, 6]);
    const { events } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: executions![0].executionArn }),
    );
    expect(events!.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    // The parent's history names the run it started.
    const parent = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const started = parent.events!.find((e) => e.type === 'MapRunStarted');
    expect(started?.mapRunStartedEventDetails?.mapRunArn).toBe(mapRun.mapRunArn);
  });

  it('counts failed children and items of batches, and fails the run past its tolerance', async () => {
    const arn = await machine('batcher', {
      ItemsPath: '$.items',
      ItemBatcher: { MaxItemsPerBatch: 2 },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Sum',
        States: {
          Sum: {
            Type: 'Choice',
            Choices: [{ Variable: '$.Items[0]', NumericLessThan: 0, Next: 'Refuse' }],
            Default: 'Done',
          },
          Refuse: { Type: 'Fail', Error: 'Negative', Cause: 'a batch starts below zero' },
          Done: { Type: 'Succeed' },
        },
      },
    });
    const executionArn = await run(arn, { items: [-1, 1, 2, 3, 4] });
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      status: 'FAILED',
      error: 'States.ExceedToleratedFailureThreshold',
    });
    const [mapRun] = (await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns!;
    const described = await sfn.send(new DescribeMapRunCommand({ mapRunArn: mapRun.mapRunArn }));
    expect(described.status).toBe('FAILED');
    expect(described.executionCounts).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
    expect(described.itemCounts).toMatchObject({ total: 5, succeeded: 3, failed: 2 });
    const failed = await sfn.send(
      new ListExecutionsCommand({ mapRunArn: mapRun.mapRunArn, statusFilter: 'FAILED' }),
    );
    expect(failed.executions).toHaveLength(1);
    expect(
      await sfn.send(new DescribeExecutionCommand({ executionArn: failed.executions![0].executionArn })),
    ).toMatchObject({
      status: 'FAILED',
      error: 'Negative',
      cause: 'a batch starts below zero',
      input: JSON.stringify({ Items: [-1, 1] }),
    });
  });

  it('aborts the run and its running children when the parent execution is stopped', async () => {
    const arn = await machine('slow', {
      ItemsPath: '$.items',
      MaxConcurrency: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Wait',
        States: { Wait: { Type: 'Wait', Seconds: 60, End: true } },
      },
    });
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ items: [1, 2, 3] }) }),
    );
    await cloud.clock.advance(90_000);
    const [mapRun] = (await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns!;
    expect(
      (await sfn.send(new DescribeMapRunCommand({ mapRunArn: mapRun.mapRunArn }))).executionCounts,
    ).toMatchObject({
      succeeded: 1,
      running: 1,
      pending: 1,
    });
    await sfn.send(new StopExecutionCommand({ executionArn }));
    await cloud.clock.advance(1000);
    const described = await sfn.send(new DescribeMapRunCommand({ mapRunArn: mapRun.mapRunArn }));
    expect(described.status).toBe('ABORTED');
    expect(described.executionCounts).toMatchObject({
      total: 3,
      succeeded: 1,
      aborted: 2,
      running: 0,
      pending: 0,
    });
    const statuses = (
      await sfn.send(new ListExecutionsCommand({ mapRunArn: mapRun.mapRunArn }))
    ).executions!.map((e) => e.status);
    expect(statuses.sort()).toEqual(['ABORTED', 'SUCCEEDED']);
  });

  it('answers an unknown map run and a call naming neither machine nor run in AWS words', async () => {
    const missing =
      'arn:aws:states:eu-west-1:123456789012:mapRun:none/M:00000000-0000-0000-0000-000000000000';
    await expect(sfn.send(new DescribeMapRunCommand({ mapRunArn: missing }))).rejects.toMatchObject({
      name: 'ResourceNotFound',
    });
    await expect(sfn.send(new ListExecutionsCommand({}))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Must specify exactly one of StateMachineArn and MapRunArn',
    });
    await expect(
      sfn.send(
        new DescribeMapRunCommand({ mapRunArn: 'arn:aws:states:eu-west-1:123456789012:execution:x:y' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidArn' });
  });
});

describe('an inline Map', () => {
  let cloud: LocalCloud;
  let sfn: SFNClient;
  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 11, 1, 9, 0, 0) });
    sfn = new SFNClient(cloud.clientConfig());
  });
  afterAll(async () => {
    sfn?.destroy();
    await cloud?.stop();
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html: "Inline mode
  // supports up to 40 concurrent iterations", MaxConcurrency unset or not.
  it.each([undefined, 100])('runs at most 40 iterations at once (MaxConcurrency %s)', async (max) => {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: `inline-${max ?? 'unset'}`,
        roleArn: ROLE,
        definition: JSON.stringify({
          StartAt: 'Each',
          States: {
            Each: {
              Type: 'Map',
              ...(max === undefined ? {} : { MaxConcurrency: max }),
              ItemProcessor: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, End: true } } },
              End: true,
            },
          },
        }),
      }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn,
        input: JSON.stringify(Array.from({ length: 50 }, (_, i) => i)),
      }),
    );
    await cloud.clock.advance(15_000);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await cloud.clock.advance(10_000);
    const done = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(done.status).toBe('SUCCEEDED');
    // Two waves of ten seconds: forty, then ten.
    expect((done.stopDate!.getTime() - done.startDate!.getTime()) / 1000).toBeCloseTo(20, 0);
  });
});
