import { afterEach, describe, expect, it } from 'vitest';
import { Harness, sleep } from './test-harness.ts';

/**
 * Session-6 patterns run by the interpreter on the virtual clock, with Tasks going
 * to a stand-in for LambdaService (handlers run in-process).
 */
let h: Harness;
afterEach(() => h?.dispose());

class VirusNotReady extends Error {
  override name = 'VirusNotReady';
}

describe('Retry and Catch (Lambda: in-test stand-in for LambdaService)', () => {
  it('retries with IntervalSeconds × BackoffRate^n on virtual time, then succeeds', async () => {
    h = new Harness();
    let calls = 0;
    const flaky = h.fn('flaky', () => {
      calls++;
      if (calls < 4) throw new VirusNotReady(`not yet (${calls})`);
      return { ok: calls };
    });
    const arn = h.machine({
      StartAt: 'Flaky',
      States: {
        Flaky: {
          Type: 'Task',
          Resource: flaky,
          Retry: [{ ErrorEquals: ['VirusNotReady'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 5 }],
          End: true,
        },
      },
    });
    const executionArn = h.start(arn);
    const done = await h.finish(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toBe('{"ok":4}');
    const t0 = h.invocations[0].at;
    // 2 s, then 6 s, then 18 s between attempts.
    expect(h.invocations.map((i) => i.at - t0)).toEqual([0, 2_000, 8_000, 26_000]);
    // AWS shows every attempt inside the one TaskStateEntered.
    expect(h.types(executionArn)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      ...['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed'].flatMap((t) => [t]),
      ...['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed'],
      ...['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed'],
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const failed = h.history(executionArn).find((e) => e.type === 'LambdaFunctionFailed')!;
    expect(failed.lambdaFunctionFailedEventDetails).toEqual({
      error: 'VirusNotReady',
      cause: JSON.stringify({
        errorType: 'VirusNotReady',
        errorMessage: 'not yet (1)',
        trace: ['VirusNotReady: not yet (1)', '    at handler (index.ts:1:1)'],
      }),
    });
  });

  it('catches the error when retries run out, with Error = errorType and Cause = the error as JSON', async () => {
    h = new Harness();
    const broken = h.fn('broken', () => {
      throw new VirusNotReady('never');
    });
    const arn = h.machine({
      StartAt: 'Broken',
      States: {
        Broken: {
          Type: 'Task',
          Resource: broken,
          Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ['VirusNotReady'], ResultPath: '$.failure', Next: 'Fallback' }],
          Next: 'Unreachable',
        },
        Unreachable: { Type: 'Fail', Error: 'Unreachable' },
        Fallback: { Type: 'Pass', End: true },
      },
    });
    const executionArn = h.start(arn, { virus: 'v-9' });
    const done = await h.finish(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(h.invocations).toHaveLength(3);
    const output = JSON.parse(done.output!);
    expect(output.virus).toBe('v-9');
    expect(output.failure.Error).toBe('VirusNotReady');
    expect(JSON.parse(output.failure.Cause)).toMatchObject({
      errorType: 'VirusNotReady',
      errorMessage: 'never',
    });
    const types = h.types(executionArn);
    expect(types.slice(-5)).toEqual([
      'LambdaFunctionFailed',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('fails the execution with the last error when nothing catches it', async () => {
    h = new Harness();
    const broken = h.fn('broken', () => {
      throw new TypeError('bad input');
    });
    const arn = h.machine({
      StartAt: 'Broken',
      States: { Broken: { Type: 'Task', Resource: broken, End: true } },
    });
    const executionArn = h.start(arn);
    const done = await h.finish(executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('TypeError');
    expect(JSON.parse(done.cause!)).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
    const last = h.history(executionArn).at(-1)!;
    expect(last.type).toBe('ExecutionFailed');
    expect(last.executionFailedEventDetails).toEqual({ error: 'TypeError', cause: done.cause });
  });

  it('reports an unknown function as Lambda.ResourceNotFoundException, which a Catch can match', async () => {
    h = new Harness();
    const arn = h.machine({
      StartAt: 'Missing',
      States: {
        Missing: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:nope',
          Catch: [{ ErrorEquals: ['Lambda.ResourceNotFoundException'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Succeed' },
      },
    });
    const executionArn = h.start(arn);
    const done = await h.finish(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    const caught = JSON.parse(done.output!);
    expect(caught.Error).toBe('Lambda.ResourceNotFoundException');
    expect(caught.Cause).toMatch(
      /^Function not found: arn:aws:lambda:eu-west-1:123456789012:function:nope \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]+; Proxy: null\)$/,
    );
    expect(h.types(executionArn)).toContain('SucceedStateExited');
  });

  it('fails a Task after TimeoutSeconds with States.Timeout, which States.TaskFailed does not catch', async () => {
    h = new Harness();
    const slow = h.fn('slow', async () => {
      await sleep(10_000);
      return 'late';
    });
    const arn = h.machine({
      StartAt: 'Slow',
      States: {
        Slow: {
          Type: 'Task',
          Resource: slow,
          TimeoutSeconds: 3,
          Catch: [
            { ErrorEquals: ['States.TaskFailed'], Next: 'Wrong' },
            { ErrorEquals: ['States.Timeout'], Next: 'TimedOut' },
          ],
          End: true,
        },
        Wrong: { Type: 'Fail', Error: 'Wrong' },
        TimedOut: { Type: 'Pass', End: true },
      },
    });
    const executionArn = h.start(arn);
    const done = await h.finish(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).Error).toBe('States.Timeout');
    const history = h.history(executionArn);
    const timedOut = history.find((e) => e.type === 'LambdaFunctionTimedOut')!;
    expect(timedOut.lambdaFunctionTimedOutEventDetails).toEqual({ error: 'States.Timeout' });
    expect(timedOut.timestamp - history[1].timestamp).toBe(3_000);
    expect(
      history.find((e) => e.type === 'LambdaFunctionScheduled')!.lambdaFunctionScheduledEventDetails,
    ).toMatchObject({ timeoutInSeconds: 3 });
    await h.advance(10_000);
    expect(h.types(executionArn)).not.toContain('LambdaFunctionSucceeded');
  });
});

describe('Choice, Pass, Succeed and Fail (Lambda: in-test stand-in for LambdaService)', () => {
  const definition = {
    StartAt: 'HowBig',
    States: {
      HowBig: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.size', NumericGreaterThan: 10, Next: 'Big' },
          {
            And: [
              { Variable: '$.kind', IsPresent: true },
              { Variable: '$.kind', StringEquals: 'boss' },
            ],
            Next: 'Boss',
          },
        ],
        Default: 'Small',
      },
      Big: { Type: 'Pass', Result: { verdict: 'big' }, ResultPath: '$.verdict', Next: 'Done' },
      Boss: { Type: 'Fail', Error: 'BossVirus', Cause: 'A boss virus cannot be killed' },
      Small: { Type: 'Pass', Parameters: { 'verdict.$': "States.Format('small {}', $.size)" }, Next: 'Done' },
      Done: { Type: 'Succeed' },
    },
  };

  it('takes the matching branch, or Default when no rule matches', async () => {
    h = new Harness();
    const arn = h.machine(definition);
    const big = h.start(arn, { size: 20 });
    const small = h.start(arn, { size: 3 });
    expect(JSON.parse((await h.finish(big)).output!)).toEqual({ size: 20, verdict: { verdict: 'big' } });
    expect(JSON.parse((await h.finish(small)).output!)).toEqual({ verdict: 'small 3' });
    expect(h.types(small)).toEqual([
      'ExecutionStarted',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'PassStateEntered',
      'PassStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('fails on a Fail state with its Error and Cause', async () => {
    h = new Harness();
    const arn = h.machine(definition);
    const boss = h.start(arn, { size: 1, kind: 'boss' });
    const done = await h.finish(boss);
    expect(done).toMatchObject({
      status: 'FAILED',
      error: 'BossVirus',
      cause: 'A boss virus cannot be killed',
    });
    expect(h.types(boss).slice(-2)).toEqual(['FailStateEntered', 'ExecutionFailed']);
    expect(h.history(boss).at(-1)!.executionFailedEventDetails).toEqual({
      error: 'BossVirus',
      cause: 'A boss virus cannot be killed',
    });
  });

  it('fails with States.NoChoiceMatched when no rule matches and there is no Default', async () => {
    h = new Harness();
    const arn = h.machine({
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.x', BooleanEquals: true, Next: 'Yes' }] },
        Yes: { Type: 'Succeed' },
      },
    });
    const done = await h.finish(h.start(arn, { x: false }));
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.NoChoiceMatched');
  });
});

describe('Parallel and Map (Lambda: in-test stand-in for LambdaService)', () => {
  it('runs Parallel branches concurrently and gathers their outputs in branch order', async () => {
    h = new Harness();
    const scan = h.fn('scan', async (e) => {
      await sleep(5_000);
      return { scanned: e.board };
    });
    const count = h.fn('count', async () => {
      await sleep(2_000);
      return { viruses: 3 };
    });
    const arn = h.machine({
      StartAt: 'Inspect',
      States: {
        Inspect: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Scan', States: { Scan: { Type: 'Task', Resource: scan, End: true } } },
            {
              StartAt: 'Count',
              States: {
                Count: { Type: 'Task', Resource: count, Next: 'Tag' },
                Tag: { Type: 'Pass', Result: 'tagged', ResultPath: '$.tag', End: true },
              },
            },
          ],
          ResultSelector: { 'scan.$': '$[0]', 'count.$': '$[1]' },
          End: true,
        },
      },
    });
    const executionArn = h.start(arn, { board: 'b1' });
    const done = await h.finish(executionArn);
    expect(JSON.parse(done.output!)).toEqual({
      scan: { scanned: 'b1' },
      count: { viruses: 3, tag: 'tagged' },
    });
    // Concurrent: the whole state takes as long as the slowest branch.
    expect(done.stopDate!.getTime() - done.startDate.getTime()).toBe(5_000);
    const history = h.history(executionArn);
    const types = history.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted']);
    expect(types.slice(-3)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
    // Each branch's first event links to ParallelStateStarted, then to its own previous event.
    const started = history[2].id;
    const scanEntered = history.find(
      (e) => (e.stateEnteredEventDetails as { name?: string } | undefined)?.name === 'Scan',
    )!;
    const countEntered = history.find(
      (e) => (e.stateEnteredEventDetails as { name?: string } | undefined)?.name === 'Count',
    )!;
    expect(scanEntered.previousEventId).toBe(started);
    expect(countEntered.previousEventId).toBe(started);
    const tagEntered = history.find((e) => e.type === 'PassStateEntered')!;
    expect(history.find((e) => e.id === tagEntered.previousEventId)!.type).toBe('TaskStateExited');
  });

  it('fails the Parallel state when a branch fails, and a Catch on it takes over', async () => {
    h = new Harness();
    const arn = h.machine({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Ok', States: { Ok: { Type: 'Wait', Seconds: 5, End: true } } },
            { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Boom', Cause: 'branch 2 failed' } } },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recovered' }],
          End: true,
        },
        Recovered: { Type: 'Pass', End: true },
      },
    });
    const executionArn = h.start(arn);
    const done = await h.finish(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ Error: 'Boom', Cause: 'branch 2 failed' });
    const types = h.types(executionArn);
    expect(types).toContain('ParallelStateFailed');
    expect(types).not.toContain('ParallelStateSucceeded');
    expect(types.indexOf('ParallelStateFailed')).toBeLessThan(types.indexOf('ParallelStateExited'));
  });

  it('runs Map iterations at most MaxConcurrency at a time and keeps item order', async () => {
    h = new Harness();
    let running = 0;
    let peak = 0;
    const kill = h.fn('kill', async (e) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(1_000);
      running--;
      return { killed: e.id };
    });
    const arn = h.machine({
      StartAt: 'KillAll',
      States: {
        KillAll: {
          Type: 'Map',
          ItemsPath: '$.viruses',
          MaxConcurrency: 2,
          ItemSelector: { 'id.$': '$$.Map.Item.Value.id', 'index.$': '$$.Map.Item.Index' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Kill',
            States: { Kill: { Type: 'Task', Resource: kill, End: true } },
          },
          ResultPath: '$.results',
          End: true,
        },
      },
    });
    const viruses = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
    const executionArn = h.start(arn, { viruses });
    const done = await h.finish(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).results).toEqual(viruses.map((v) => ({ killed: v.id })));
    expect(peak).toBe(2);
    // Five one-second kills, two at a time: three rounds.
    expect(done.stopDate!.getTime() - done.startDate.getTime()).toBe(3_000);
    expect(h.invocations.map((i) => i.event)).toEqual(viruses.map((v, index) => ({ id: v.id, index })));

    const history = h.history(executionArn);
    const started = history.find((e) => e.type === 'MapStateStarted')!;
    expect(started.mapStateStartedEventDetails).toEqual({ length: 5 });
    const iterations = history.filter((e) => e.type === 'MapIterationStarted');
    expect(iterations.map((e) => e.mapIterationStartedEventDetails)).toEqual(
      [0, 1, 2, 3, 4].map((index) => ({ name: 'KillAll', index })),
    );
    expect(iterations.every((e) => e.previousEventId === started.id)).toBe(true);
    expect(history.filter((e) => e.type === 'MapIterationSucceeded')).toHaveLength(5);
    const types = history.map((e) => e.type);
    expect(types.slice(-3)).toEqual(['MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    // Each iteration's task events link along the iteration.
    for (const scheduled of history.filter((e) => e.type === 'LambdaFunctionScheduled')) {
      expect(history.find((e) => e.id === scheduled.previousEventId)!.type).toBe('TaskStateEntered');
    }
  });

  it('fails the Map when an iteration fails', async () => {
    h = new Harness();
    const arn = h.machine({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          Iterator: {
            StartAt: 'Check',
            States: {
              Check: {
                Type: 'Choice',
                Choices: [{ Variable: '$', NumericGreaterThan: 2, Next: 'TooBig' }],
                Default: 'Fine',
              },
              TooBig: { Type: 'Fail', Error: 'TooBig' },
              Fine: { Type: 'Succeed' },
            },
          },
          End: true,
        },
      },
    });
    const executionArn = h.start(arn, [1, 2, 3]);
    const done = await h.finish(executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('TooBig');
    const types = h.types(executionArn);
    expect(types).toContain('MapIterationFailed');
    expect(types.slice(-2)).toEqual(['MapStateFailed', 'ExecutionFailed']);
  });
});
