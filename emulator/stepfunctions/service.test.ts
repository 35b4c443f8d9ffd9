import { afterEach, describe, expect, it } from 'vitest';
import { Harness, ROLE, START } from './test-harness.ts';

/**
 * The session-4 state machine on a stand-in for LambdaService (handlers run in-process):
 * ChooseWaitTime (Task) → WaitXSeconds (Wait, SecondsPath) → CreateVirus (Task).
 */
let h: Harness;
afterEach(() => h?.dispose());

function session4(harness: Harness, seconds: number): string {
  const choose = harness.fn('dojo-local-chooseWaitTime', () => ({ numberOfSeconds: seconds }));
  const create = harness.fn('dojo-local-createVirus', (event) => ({
    virusId: 'v-1',
    waited: event.numberOfSeconds,
  }));
  return harness.machine(
    {
      Comment: 'Session 4: wait a random time, then create a virus',
      StartAt: 'ChooseWaitTime',
      States: {
        ChooseWaitTime: { Type: 'Task', Resource: choose, Next: 'WaitXSeconds' },
        WaitXSeconds: { Type: 'Wait', SecondsPath: '$.numberOfSeconds', Next: 'CreateVirus' },
        CreateVirus: { Type: 'Task', Resource: create, End: true },
      },
    },
    'dojo-local-virusStateMachine',
  );
}

describe('the session-4 state machine, with a stand-in for LambdaService', () => {
  it('waits exactly numberOfSeconds of virtual time between the two tasks', async () => {
    h = new Harness();
    const arn = session4(h, 13);
    const executionArn = h.start(arn, { source: 'dojo.virus', 'detail-type': 'Spawn Virus' });

    await h.advance(12_000);
    expect(h.sfn.describeExecution(executionArn).status).toBe('RUNNING');
    expect(h.invocations.map((i) => i.functionName)).toEqual(['dojo-local-chooseWaitTime']);

    const done = await h.finish(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ virusId: 'v-1', waited: 13 });

    const history = h.history(executionArn);
    expect(history.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const entered = history.find((e) => e.type === 'WaitStateEntered')!;
    const exited = history.find((e) => e.type === 'WaitStateExited')!;
    expect(exited.timestamp - entered.timestamp).toBe(13_000);
    expect(h.invocations[1].at - h.invocations[0].at).toBe(13_000);
  });

  it('numbers history events and links previousEventId as AWS does, with the details AWS shows', async () => {
    h = new Harness();
    const arn = session4(h, 2);
    const executionArn = h.start(arn, { hello: 'world' });
    await h.finish(executionArn);
    const history = h.history(executionArn);
    expect(history.map((e) => e.id)).toEqual(history.map((_, i) => i + 1));
    expect(history.map((e) => e.previousEventId)).toEqual([0, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(history[0]).toMatchObject({
      type: 'ExecutionStarted',
      timestamp: START,
      executionStartedEventDetails: {
        input: '{"hello":"world"}',
        inputDetails: { truncated: false },
        roleArn: ROLE,
      },
    });
    expect(history[1].stateEnteredEventDetails).toEqual({
      name: 'ChooseWaitTime',
      input: '{"hello":"world"}',
      inputDetails: { truncated: false },
    });
    expect(history[2].lambdaFunctionScheduledEventDetails).toMatchObject({
      resource: 'arn:aws:lambda:eu-west-1:123456789012:function:dojo-local-chooseWaitTime',
      input: '{"hello":"world"}',
    });
    expect(history[3]).not.toHaveProperty('lambdaFunctionStartedEventDetails');
    expect(history[4].lambdaFunctionSucceededEventDetails).toEqual({
      output: '{"numberOfSeconds":2}',
      outputDetails: { truncated: false },
    });
    expect(history[5].stateExitedEventDetails).toEqual({
      name: 'ChooseWaitTime',
      output: '{"numberOfSeconds":2}',
      outputDetails: { truncated: false },
    });
    expect(history[13].executionSucceededEventDetails).toEqual({
      output: '{"virusId":"v-1","waited":2}',
      outputDetails: { truncated: false },
    });
  });

  it('traces the execution, its states and the Lambda invocations with causal links', async () => {
    h = new Harness();
    const arn = session4(h, 1);
    const rule = h.trace.record({
      kind: 'target.invoke',
      rule: 'spawn-virus',
      target: arn,
      eventId: 'event-1',
    });
    const { executionArn } = h.sfn.startExecution(
      { stateMachineArn: arn, input: { detail: { n: 1 } } },
      { cause: rule.seq },
    );
    await h.finish(executionArn);

    const start = h.trace.find('sfn.execution.start')[0];
    expect(start).toMatchObject({
      cause: rule.seq,
      executionArn,
      stateMachineArn: arn,
      input: { detail: { n: 1 } },
    });
    expect(start.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const enters = h.trace.find('sfn.state.enter');
    expect(enters.map((e) => [e.state, e.type, e.cause])).toEqual([
      ['ChooseWaitTime', 'Task', start.seq],
      ['WaitXSeconds', 'Wait', start.seq],
      ['CreateVirus', 'Task', start.seq],
    ]);
    const exits = h.trace.find('sfn.state.exit');
    expect(exits.map((e) => [e.state, e.cause, e.enterSeq])).toEqual(
      enters.map((e) => [e.state, start.seq, e.seq]),
    );
    // Each Lambda invocation is caused by the entry of the state that made it.
    expect(h.invocations.map((i) => i.cause)).toEqual([enters[0].seq, enters[2].seq]);
    expect(h.invocations[0].source).toBe('sfn dojo-local-virusStateMachine ChooseWaitTime');
    const end = h.trace.find('sfn.execution.end')[0];
    expect(end).toMatchObject({
      cause: start.seq,
      executionArn,
      status: 'SUCCEEDED',
      output: { virusId: 'v-1', waited: 1 },
    });
    expect(h.trace.causes(h.invocations[1].cause!).map((e) => e.kind)).toEqual([
      'target.invoke',
      'sfn.execution.start',
      'sfn.state.enter',
    ]);
  });

  it('runs a Wait of 30 seconds in exactly 30 virtual seconds, fast in real time', async () => {
    h = new Harness();
    const arn = h.machine({
      StartAt: 'Wait30',
      States: { Wait30: { Type: 'Wait', Seconds: 30, End: true } },
    });
    const executionArn = h.start(arn);
    const realStart = performance.now();
    await h.advance(29_999);
    expect(h.sfn.describeExecution(executionArn).status).toBe('RUNNING');
    await h.advance(1);
    const done = h.sfn.describeExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stopDate!.getTime() - done.startDate.getTime()).toBe(30_000);
    expect(performance.now() - realStart).toBeLessThan(2_000);
  });

  it('waits until a Timestamp, and until a TimestampPath', async () => {
    h = new Harness();
    const at = new Date(START + 90_000).toISOString();
    const arn = h.machine({
      StartAt: 'UntilFixed',
      States: {
        UntilFixed: { Type: 'Wait', Timestamp: at, Next: 'UntilInput' },
        UntilInput: { Type: 'Wait', TimestampPath: '$.until', End: true },
      },
    });
    const executionArn = h.start(arn, { until: new Date(START + 150_000).toISOString() });
    const done = await h.finish(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    const history = h.history(executionArn);
    expect(
      history.find(
        (e) =>
          e.type === 'WaitStateExited' &&
          (e.stateExitedEventDetails as { name: string }).name === 'UntilFixed',
      )!.timestamp,
    ).toBe(START + 90_000);
    expect(done.stopDate!.getTime()).toBe(START + 150_000);
  });

  it('keeps a started execution running on the definition it started with after an update', async () => {
    h = new Harness();
    const arn = h.machine({
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 10, Next: 'P' }, P: { Type: 'Pass', Result: 'old', End: true } },
    });
    const first = h.start(arn);
    h.sfn.updateStateMachine(arn, {
      definition: { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'new', End: true } } },
    });
    const second = h.start(arn);
    expect((await h.finish(first)).output).toBe('"old"');
    expect((await h.finish(second)).output).toBe('"new"');
  });
});
