import { afterEach, describe, expect, it } from 'vitest';
import { AwsError } from '../core/errors.ts';
import { Harness } from './test-harness.ts';

/**
 * Human in the loop (session 6): `.waitForTaskToken` tasks wait, on virtual time, until
 * SendTaskSuccess / SendTaskFailure arrive with the token `$$.Task.Token` gave them. Lambda is
 * a stand-in for LambdaService (handlers run in-process).
 */
let h: Harness;
afterEach(() => h?.dispose());

function approvalMachine(harness: Harness, extra: Record<string, unknown> = {}): string {
  const ask = harness.fn('askForApproval', (e) => ({ asked: e.virus, tokenLength: String(e.token).length }));
  return harness.machine({
    StartAt: 'AskApproval',
    States: {
      AskApproval: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: ask,
          Payload: { 'virus.$': '$.virus', 'token.$': '$$.Task.Token', 'again.$': '$$.Task.Token' },
        },
        ResultPath: '$.approval',
        Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.rejection', Next: 'Rejected' }],
        Next: 'Approved',
        ...extra,
      },
      Approved: { Type: 'Pass', End: true },
      Rejected: { Type: 'Pass', End: true },
    },
  });
}

function tokenOf(harness: Harness): string {
  return String((harness.invocations[0].event as { token: string }).token);
}

function apiError(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AwsError);
    return err as AwsError;
  }
  throw new Error('expected an AwsError');
}

describe('waitForTaskToken (Lambda: in-test stand-in for LambdaService)', () => {
  it('waits (RUNNING after an hour of virtual time) until SendTaskSuccess, then continues with its output', async () => {
    h = new Harness();
    const arn = approvalMachine(h);
    const executionArn = h.start(arn, { virus: 'v-42' });
    await h.advance(3_600_000);
    expect(h.sfn.describeExecution(executionArn).status).toBe('RUNNING');

    const token = tokenOf(h);
    expect((h.invocations[0].event as { again: string }).again).toBe(token);
    expect(h.sfn.pendingTaskTokens()).toEqual([
      {
        token,
        executionArn,
        stateName: 'AskApproval',
        input: {
          FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:askForApproval',
          Payload: { virus: 'v-42', token, again: token },
        },
        issuedAt: expect.any(Number),
      },
    ]);
    const issued = h.trace.find('sfn.task.token');
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({
      token,
      stateName: 'AskApproval',
      executionArn,
      cause: h.trace.find('sfn.state.enter')[0].seq,
    });

    await h.api('SendTaskSuccess', {
      taskToken: token,
      output: JSON.stringify({ approvedBy: 'instructor' }),
    });
    const done = await h.finish(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ virus: 'v-42', approval: { approvedBy: 'instructor' } });
    expect(h.sfn.pendingTaskTokens()).toEqual([]);

    const history = h.history(executionArn);
    expect(history.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(history[2].taskScheduledEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      region: 'eu-west-1',
    });
    expect(
      JSON.parse((history[2].taskScheduledEventDetails as { parameters: string }).parameters).Payload.token,
    ).toBe(token);
    expect(JSON.parse((history[4].taskSubmittedEventDetails as { output: string }).output)).toMatchObject({
      StatusCode: 200,
      Payload: { asked: 'v-42' },
    });
    expect(history[5].taskSucceededEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      output: '{"approvedBy":"instructor"}',
      outputDetails: { truncated: false },
    });
    expect(history[5].timestamp - history[4].timestamp).toBe(3_600_000);

    // The task is over: its token is spent.
    expect(apiError(() => h.sfn.sendTaskSuccess(token, '{}'))).toMatchObject({
      code: 'TaskTimedOut',
      message: "Task Timed Out: 'Provided task does not exist anymore'",
    });
  });

  it('routes SendTaskFailure to a Catch on its error name', async () => {
    h = new Harness();
    const arn = approvalMachine(h);
    const executionArn = h.start(arn, { virus: 'v-7' });
    await h.advance(60_000);
    await h.api('SendTaskFailure', { taskToken: tokenOf(h), error: 'Rejected', cause: 'Too dangerous' });
    const done = await h.finish(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      virus: 'v-7',
      rejection: { Error: 'Rejected', Cause: 'Too dangerous' },
    });
    const failed = h.history(executionArn).find((e) => e.type === 'TaskFailed')!;
    expect(failed.taskFailedEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      error: 'Rejected',
      cause: 'Too dangerous',
    });
    expect(h.types(executionArn)).toContain('PassStateEntered');
  });

  it('accepts the answer while the callee is still running (the Lambda answers with the token itself)', async () => {
    h = new Harness();
    const selfApprove = h.fn('selfApprove', (e) => {
      h.sfn.sendTaskSuccess(e.token, JSON.stringify({ auto: true }));
      return 'sent';
    });
    const arn = h.machine({
      StartAt: 'Auto',
      States: {
        Auto: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: selfApprove, Payload: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    });
    const executionArn = h.start(arn);
    const done = await h.finish(executionArn);
    expect(done.output).toBe('{"auto":true}');
    expect(h.types(executionArn).slice(2, 6)).toEqual([
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
    ]);
  });

  it('puts an event carrying the token with events:putEvents.waitForTaskToken', async () => {
    h = new Harness();
    const arn = h.machine({
      StartAt: 'Announce',
      States: {
        Announce: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken',
          Parameters: {
            Entries: [
              {
                Source: 'dojo.approvals',
                DetailType: 'Approval Needed',
                EventBusName: 'dojo',
                Detail: { 'virus.$': '$.virus', 'taskToken.$': '$$.Task.Token' },
              },
            ],
          },
          End: true,
        },
      },
    });
    const executionArn = h.start(arn, { virus: 'v-1' });
    await h.advance(5_000);
    expect(h.putEventsCalls).toHaveLength(1);
    const entry = h.putEventsCalls[0].entries[0];
    expect(entry).toMatchObject({
      Source: 'dojo.approvals',
      DetailType: 'Approval Needed',
      EventBusName: 'dojo',
    });
    const detail = JSON.parse(entry.Detail!);
    expect(detail.virus).toBe('v-1');
    expect(h.sfn.pendingTaskTokens().map((p) => p.token)).toEqual([detail.taskToken]);
    expect(h.putEventsCalls[0].cause).toBe(h.trace.find('sfn.state.enter')[0].seq);
    h.sfn.sendTaskSuccess(detail.taskToken, '"approved"');
    expect((await h.finish(executionArn)).output).toBe('"approved"');
  });

  it('times the task out after HeartbeatSeconds without a heartbeat, as States.Timeout', async () => {
    h = new Harness();
    const arn = approvalMachine(h, {
      HeartbeatSeconds: 60,
      Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Rejected' }],
    });
    const executionArn = h.start(arn, { virus: 'v-3' });
    await h.advance(50_000);
    const token = tokenOf(h);
    h.sfn.sendTaskHeartbeat(token);
    await h.advance(50_000);
    expect(h.sfn.describeExecution(executionArn).status).toBe('RUNNING');
    await h.advance(11_000);
    const done = await h.finish(executionArn);
    // States.TaskFailed does not match States.Timeout: the execution fails.
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    const history = h.history(executionArn);
    expect(history.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails).toMatchObject({
      heartbeatInSeconds: 60,
    });
    const timedOut = history.find((e) => e.type === 'TaskTimedOut')!;
    expect(timedOut.taskTimedOutEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      error: 'States.Timeout',
    });
    expect(history.at(-1)!.executionFailedEventDetails).toEqual({ error: 'States.Timeout' });
    expect(apiError(() => h.sfn.sendTaskSuccess(token, '{}')).code).toBe('TaskTimedOut');
  });

  it('times the task out after TimeoutSeconds and closes its token', async () => {
    h = new Harness();
    const arn = approvalMachine(h, { TimeoutSeconds: 300 });
    const executionArn = h.start(arn, { virus: 'v-5' });
    await h.advance(299_000);
    expect(h.sfn.pendingTaskTokens()).toHaveLength(1);
    const done = await h.finish(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(h.sfn.pendingTaskTokens()).toEqual([]);
    expect(h.types(executionArn).slice(-2)).toEqual(['TaskTimedOut', 'ExecutionFailed']);
    expect(apiError(() => h.sfn.sendTaskFailure(tokenOf(h), { error: 'Late' })).code).toBe('TaskTimedOut');
  });

  it('closes the token when the execution is stopped', async () => {
    h = new Harness();
    const arn = approvalMachine(h);
    const executionArn = h.start(arn, { virus: 'v-8' });
    await h.advance(1_000);
    h.sfn.stopExecution(executionArn, { error: 'Cancelled', cause: 'board reset' });
    await h.advance(1_000);
    expect(h.sfn.pendingTaskTokens()).toEqual([]);
    expect(h.sfn.describeExecution(executionArn)).toMatchObject({
      status: 'ABORTED',
      error: 'Cancelled',
      cause: 'board reset',
    });
    expect(h.history(executionArn).at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Cancelled', cause: 'board reset' },
    });
    expect(apiError(() => h.sfn.sendTaskSuccess(tokenOf(h), '{}')).code).toBe('TaskTimedOut');
  });

  it('refuses unknown tokens and output that is not JSON, in AWS words', async () => {
    h = new Harness();
    const arn = approvalMachine(h);
    h.start(arn, { virus: 'v-2' });
    await h.advance(1_000);
    await expect(h.api('SendTaskSuccess', { taskToken: 'not-a-token', output: '{}' })).rejects.toMatchObject({
      code: 'InvalidToken',
      message: "Invalid Token: 'Invalid token'",
    });
    await expect(h.api('SendTaskHeartbeat', { taskToken: 'not-a-token' })).rejects.toMatchObject({
      code: 'InvalidToken',
    });
    await expect(h.api('SendTaskSuccess', { taskToken: tokenOf(h), output: '{oops' })).rejects.toMatchObject({
      code: 'InvalidOutput',
    });
    // A refused answer leaves the task waiting.
    expect(h.sfn.pendingTaskTokens()).toHaveLength(1);
  });

  it('gives each Map iteration its own token', async () => {
    h = new Harness();
    const ask = h.fn('ask', () => 'asked');
    const arn = h.machine({
      StartAt: 'EachVirus',
      States: {
        EachVirus: {
          Type: 'Map',
          ItemsPath: '$.viruses',
          ItemProcessor: {
            StartAt: 'Approve',
            States: {
              Approve: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                Parameters: { FunctionName: ask, Payload: { 'virus.$': '$', 'token.$': '$$.Task.Token' } },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    });
    const executionArn = h.start(arn, { viruses: ['a', 'b', 'c'] });
    await h.advance(10_000);
    const pending = h.sfn.pendingTaskTokens();
    expect(pending).toHaveLength(3);
    expect(new Set(pending.map((p) => p.token)).size).toBe(3);
    for (const p of pending) {
      const virus = (p.input as { Payload: { virus: string } }).Payload.virus;
      h.sfn.sendTaskSuccess(p.token, JSON.stringify(`ok ${virus}`));
    }
    expect((await h.finish(executionArn)).output).toBe('["ok a","ok b","ok c"]');
  });
});
