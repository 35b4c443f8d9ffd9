import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './test-harness.ts';

/**
 * What the interpreter does beyond the sessions' machines: JSONata, variables and their
 * scopes, Distributed Map, AWS's error causes and payload limit, and TestState.
 */
let h: Harness;
afterEach(() => h?.dispose());

async function run(definition: object, input: unknown = {}) {
  h ??= new Harness();
  const arn = h.machine(definition);
  const executionArn = h.start(arn, input);
  return { executionArn, done: await h.finish(executionArn) };
}

const output = (done: { output?: string }) => JSON.parse(done.output!);

describe('variables', () => {
  it('inner Map states read outer variables; what they assign stays in their iteration', async () => {
    h = new Harness();
    const { done } = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { base: 10 }, Next: 'M' },
        M: {
          Type: 'Map',
          Items: '{% [1, 2, 3] %}',
          ItemProcessor: {
            StartAt: 'Add',
            States: {
              Add: { Type: 'Pass', Assign: { mine: '{% $base + $states.input %}' }, Next: 'Show' },
              Show: { Type: 'Pass', Output: '{% $mine %}', End: true },
            },
          },
          Assign: { total: '{% $sum($states.result) %}' },
          Next: 'After',
        },
        After: {
          Type: 'Pass',
          Output: { total: '{% $total %}', base: '{% $base %}', mineOutside: '{% $exists($mine) %}' },
          End: true,
        },
      },
    });
    expect(output(done)).toEqual({ total: 36, base: 10, mineOutside: false });
  });

  it('refuses at creation an inner state assigning an outer variable, saying what to do', () => {
    h = new Harness();
    const definition = {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { count: 0 }, Next: 'P' },
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Assign: { count: 1 }, End: true } } }],
          End: true,
        },
      },
    };
    expect(() => h.machine(definition)).toThrow(
      "SCHEMA_VALIDATION_FAILED: The variable 'count' is assigned in an outer scope: a state inside a Map or Parallel can read it but not assign it (give the inner variable another name, or return the value in the Map or Parallel's Output and Assign it there) at /States/P/Branches[0]/States/B/Assign/count",
    );
    expect(() =>
      h.machine({ StartAt: 'A', States: { A: { Type: 'Pass', Assign: { states: 1 }, End: true } } }),
    ).toThrow("The variable name 'states' is reserved");
  });

  it('a Distributed Map child sees no outer variables (AWS: they are executions of their own)', async () => {
    h = new Harness();
    const { done } = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { secret: 's' }, Next: 'M' },
        M: {
          Type: 'Map',
          Items: '{% [1] %}',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Read',
            States: { Read: { Type: 'Pass', Output: { seen: '{% $exists($secret) %}' }, End: true } },
          },
          End: true,
        },
      },
    });
    expect(output(done)).toEqual([{ seen: false }]);
  });
});

describe('Distributed Map', () => {
  it('shows a map run in the parent history, not the children’s states, and tolerates failures up to its threshold', async () => {
    h = new Harness();
    const machine = (tolerated: number) => ({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ToleratedFailureCount: tolerated,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Check',
            States: {
              Check: {
                Type: 'Choice',
                Choices: [{ Variable: '$', NumericGreaterThan: 2, Next: 'TooBig' }],
                Default: 'Ok',
              },
              TooBig: { Type: 'Fail', Error: 'TooBig' },
              Ok: { Type: 'Succeed' },
            },
          },
          End: true,
        },
      },
    });
    const tolerant = await run(machine(1), [1, 2, 3]);
    expect(tolerant.done.status).toBe('SUCCEEDED');
    expect(output(tolerant.done)).toEqual([1, 2, { Error: 'TooBig', Cause: '' }]);
    expect(h.types(tolerant.executionArn)).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapStateStarted',
      'MapRunStarted',
      'MapRunSucceeded',
      'MapStateSucceeded',
      'MapStateExited',
      'ExecutionSucceeded',
    ]);
    expect(h.history(tolerant.executionArn)[3].mapRunStartedEventDetails).toEqual({
      mapRunArn: expect.stringMatching(
        /^arn:aws:states:eu-west-1:123456789012:mapRun:machine-1\/M:[0-9a-f-]{36}$/,
      ),
    });
    const strict = await run(machine(0), [1, 2, 3]);
    expect(strict.done).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
  });
});

describe("AWS's error names and causes", () => {
  it('a path selecting nothing through a wildcard or a slice gives an empty list; a definite one fails the state', async () => {
    h = new Harness();
    const empty = await run(
      {
        StartAt: 'P',
        States: {
          P: { Type: 'Pass', Parameters: { 'ids.$': '$.items[*].id', 'tail.$': '$.items[2:]' }, End: true },
        },
      },
      { items: [] },
    );
    expect(output(empty.done)).toEqual({ ids: [], tail: [] });
    const missing = await run(
      { StartAt: 'P', States: { P: { Type: 'Pass', InputPath: '$.nope', End: true } } },
      { a: 1 },
    );
    expect(missing.done).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause:
        "An error occurred while executing the state 'P' (entered at the event id #2). Invalid path '$.nope' : No results for path: $['nope']",
    });
  });

  it('a JSONata field that gives nothing is States.QueryEvaluationError, which a Catch can take (a member of an object that gives nothing is left out)', async () => {
    h = new Harness();
    const { done } = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'Bad',
      States: {
        Bad: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: '{% $states.input.a.b %}',
          Catch: [
            {
              ErrorEquals: ['States.QueryEvaluationError'],
              Output: '{% $states.errorOutput %}',
              Next: 'Caught',
            },
          ],
          End: true,
        },
        Caught: { Type: 'Succeed' },
      },
    });
    expect(output(done)).toEqual({
      Error: 'States.QueryEvaluationError',
      Cause:
        "An error occurred while executing the state 'Bad' (entered at the event id #2). The JSONata expression '$states.input.a.b' specified for the field 'Arguments' returned nothing (undefined).",
    });
    const omitted = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: { P: { Type: 'Pass', Output: { kept: 1, gone: '{% $states.input.nope %}' }, End: true } },
    });
    expect(output(omitted.done)).toEqual({ kept: 1 });
  });

  it('the context object of a Pass state: State.Name and State.EnteredTime (the entry event time)', async () => {
    h = new Harness();
    const { executionArn, done } = await run({
      StartAt: 'Stamp',
      States: {
        Stamp: {
          Type: 'Pass',
          Parameters: { 'name.$': '$$.State.Name', 'at.$': '$$.State.EnteredTime' },
          End: true,
        },
      },
    });
    const entered = h.history(executionArn)[1];
    expect(output(done)).toEqual({ name: 'Stamp', at: new Date(entered.timestamp).toISOString() });
  });

  it('a result over 256 KiB is States.DataLimitExceeded: States.ALL does not catch it, its own name does', async () => {
    h = new Harness();
    const big = (errorEquals: string[]) => ({
      StartAt: 'Grow',
      States: {
        Grow: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Dup',
              States: { Dup: { Type: 'Pass', Parameters: { 'a.$': '$.s', 'b.$': '$.s' }, End: true } },
            },
          ],
          Catch: [{ ErrorEquals: errorEquals, Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', Result: 'caught', End: true },
      },
    });
    const input = { s: 'x'.repeat(140_000) };
    expect((await run(big(['States.ALL']), input)).done).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause:
        "The state/task 'Dup' returned a result with a size exceeding the maximum number of bytes service limit.",
    });
    expect(output((await run(big(['States.DataLimitExceeded']), input)).done)).toBe('caught');
  });
});

describe('payload limits', () => {
  it('refuses an execution input over 256 KiB at StartExecution, as AWS does', () => {
    h = new Harness();
    const arn = h.machine({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    expect(() =>
      h.sfn.startExecution({ stateMachineArn: arn, input: JSON.stringify({ s: 'x'.repeat(262_144) }) }),
    ).toThrow(
      "Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144",
    );
    expect(() =>
      h.sfn.startExecution({ stateMachineArn: arn, input: JSON.stringify({ s: 'x'.repeat(262_000) }) }),
    ).not.toThrow();
  });
});

describe('TestState', () => {
  const task = {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: 'f', 'Payload.$': '$' },
    ResultSelector: { 'body.$': '$.Payload' },
    ResultPath: '$.out',
    Retry: [{ ErrorEquals: ['Timeout'], MaxAttempts: 2 }],
    Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }],
    Next: 'Done',
  };

  it('runs one state on a mocked result and shows each processing step at DEBUG', async () => {
    h = new Harness();
    const out = await h.sfn.testState({
      definition: JSON.stringify(task),
      input: '{"id":1}',
      mock: { result: '{"Payload":{"ok":true}}' },
      inspectionLevel: 'DEBUG',
    });
    expect(out).toMatchObject({
      status: 'SUCCEEDED',
      nextState: 'Done',
      output: '{"id":1,"out":{"body":{"ok":true}}}',
    });
    expect(out.inspectionData).toMatchObject({
      input: '{"id":1}',
      afterInputPath: '{"id":1}',
      afterParameters: '{"FunctionName":"f","Payload":{"id":1}}',
      result: '{"Payload":{"ok":true}}',
      afterResultSelector: '{"body":{"ok":true}}',
      afterResultPath: '{"id":1,"out":{"body":{"ok":true}}}',
    });
  });

  it('says RETRIABLE when a Retry would run the state again, CAUGHT_ERROR when a Catch takes it, FAILED otherwise', async () => {
    h = new Harness();
    const retriable = await h.sfn.testState({
      definition: JSON.stringify(task),
      mock: { errorOutput: { error: 'Timeout', cause: 'slow' } },
    });
    expect(retriable).toMatchObject({ status: 'RETRIABLE', error: 'Timeout', nextState: 'TestState' });
    const spent = await h.sfn.testState({
      definition: JSON.stringify(task),
      mock: { errorOutput: { error: 'Timeout', cause: 'slow' } },
      stateConfiguration: { retrierRetryCount: 2 },
    });
    expect(spent).toMatchObject({
      status: 'CAUGHT_ERROR',
      nextState: 'Recover',
      output: '{"Error":"Timeout","Cause":"slow"}',
    });
    const { Catch: _c, ...uncaught } = task;
    expect(
      await h.sfn.testState({
        definition: JSON.stringify(uncaught),
        mock: { errorOutput: { error: 'Boom', cause: 'no' } },
      }),
    ).toMatchObject({ status: 'FAILED', error: 'Boom', cause: 'no' });
  });

  it('takes variables, tests a state of a whole machine by stateName, and refuses a mock on a Pass', async () => {
    h = new Harness();
    const machine = {
      QueryLanguage: 'JSONata',
      StartAt: 'Greet',
      States: {
        Greet: { Type: 'Pass', Output: '{% "Hello " & $name %}', Assign: { greeted: true }, End: true },
      },
    };
    const out = await h.sfn.testState({
      definition: JSON.stringify(machine),
      stateName: 'Greet',
      variables: '{"name":"Ada"}',
      inspectionLevel: 'DEBUG',
    });
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '"Hello Ada"' });
    expect(JSON.parse(out.inspectionData!.variables)).toEqual({ name: 'Ada', greeted: true });
    await expect(
      h.sfn.testState({ definition: JSON.stringify({ Type: 'Pass', End: true }), mock: { result: '1' } }),
    ).rejects.toThrow(
      'A mock can only be specified for Task, Map, or Parallel states, not for a Pass state.',
    );
  });
});
