import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsError } from '../core/errors.ts';
import { Harness, ROLE, START } from './test-harness.ts';

/**
 * The JSON API (`handle`), its errors in AWS's codes and words, and its wire shapes as the AWS
 * SDK reads them. The SDK client here talks to `handle` through an in-test request handler
 * (the gateway's own tests cover the HTTP side).
 */
let h: Harness;
afterEach(() => h?.dispose());

const WAIT_10 = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, End: true } } };

function sdkClient(harness: Harness): SFNClient {
  return new SFNClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: { headers: Record<string, string>; body?: string }) {
        const action = String(request.headers['x-amz-target']).split('.')[1];
        let status = 200;
        let payload: unknown;
        try {
          payload = await harness.api(action, JSON.parse(request.body ?? '{}'));
        } catch (err) {
          if (!(err instanceof AwsError)) throw err;
          status = err.status;
          payload = { __type: err.code, message: err.message };
        }
        return {
          response: {
            statusCode: status,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Buffer.from(JSON.stringify(payload)),
          },
        };
      },
    } as never,
  });
}

async function apiError(promise: Promise<unknown>): Promise<AwsError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AwsError);
    return err as AwsError;
  }
  throw new Error('expected an AwsError');
}

describe('through the AWS SDK', () => {
  it('gives dates the SDK turns into Date objects, and errors it turns into named exceptions', async () => {
    h = new Harness();
    const sfn = sdkClient(h);
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'sdk-machine',
        definition: JSON.stringify(WAIT_10),
        roleArn: ROLE,
      }),
    );
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'first', input: '{"a":1}' }),
    );
    expect(started.executionArn).toBe('arn:aws:states:eu-west-1:123456789012:execution:sdk-machine:first');
    expect(started.startDate).toBeInstanceOf(Date);
    expect(started.startDate!.getTime()).toBe(START);
    await h.finish(started.executionArn!);

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described).toMatchObject({
      status: 'SUCCEEDED',
      name: 'first',
      input: '{"a":1}',
      output: '{"a":1}',
      stateMachineArn,
    });
    expect(described.stopDate!.getTime()).toBe(START + 10_000);
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }));
    expect(listed.executions!.map((e) => e.name)).toEqual(['first']);
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    expect(history.events!.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'ExecutionSucceeded',
    ]);
    expect(history.events![2].timestamp).toEqual(new Date(START + 10_000));
    expect(history.events![1].stateEnteredEventDetails).toEqual({
      name: 'W',
      input: '{"a":1}',
      inputDetails: { truncated: false },
    });

    const missing = `${stateMachineArn!.replace(':stateMachine:', ':execution:')}:nope`;
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: missing }))).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
      message: `Execution Does Not Exist: '${missing}'`,
    });
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'first', input: '{"a":1}' })),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });
});

describe('StartExecution', () => {
  it('refuses a name in use, unless the same input is sent while it is still running', async () => {
    h = new Harness();
    const arn = h.machine(WAIT_10, 'waiter');
    const first = (await h.api('StartExecution', {
      stateMachineArn: arn,
      name: 'run-1',
      input: '{"n":1}',
    })) as { executionArn: string; startDate: number };
    expect(first).toEqual({
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:waiter:run-1',
      startDate: START / 1000,
    });
    await h.advance(1_000);
    // Idempotent while RUNNING with the same input: the same answer.
    expect(await h.api('StartExecution', { stateMachineArn: arn, name: 'run-1', input: '{"n":1}' })).toEqual(
      first,
    );
    const different = await apiError(
      h.api('StartExecution', { stateMachineArn: arn, name: 'run-1', input: '{"n":2}' }),
    );
    expect(different).toMatchObject({
      code: 'ExecutionAlreadyExists',
      status: 400,
      message: `Execution Already Exists: '${first.executionArn}'`,
    });
    await h.finish(first.executionArn);
    const closed = await apiError(
      h.api('StartExecution', { stateMachineArn: arn, name: 'run-1', input: '{"n":1}' }),
    );
    expect(closed.code).toBe('ExecutionAlreadyExists');
  });

  it('names executions with UUIDs by default and takes {} as the default input', async () => {
    h = new Harness();
    const arn = h.machine(WAIT_10);
    const { executionArn } = (await h.api('StartExecution', { stateMachineArn: arn })) as {
      executionArn: string;
    };
    expect(executionArn).toMatch(
      /:execution:machine-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(h.sfn.describeExecution(executionArn).input).toBe('{}');
  });

  it('refuses input that is not JSON, and names that AWS refuses', async () => {
    h = new Harness();
    const arn = h.machine(WAIT_10);
    const bad = await apiError(h.api('StartExecution', { stateMachineArn: arn, input: 'not some json' }));
    expect(bad.code).toBe('InvalidExecutionInput');
    expect(bad.message).toMatch(/^Invalid State Machine Execution Input: '.+'$/);
    expect((await apiError(h.api('StartExecution', { stateMachineArn: arn, input: '' }))).message).toBe(
      "Invalid State Machine Execution Input: 'Invalid execution input.'",
    );
    expect(
      await apiError(h.api('StartExecution', { stateMachineArn: arn, name: 'has space' })),
    ).toMatchObject({ code: 'InvalidName', message: "Invalid Name: 'has space'" });
    expect(
      (await apiError(h.api('StartExecution', { stateMachineArn: arn, name: 'x'.repeat(81) }))).code,
    ).toBe('InvalidName');
    // A value (as EventBridge targets pass the event) is taken as is.
    const { executionArn } = h.sfn.startExecution({ stateMachineArn: arn, input: { detail: { n: 1 } } });
    expect(h.sfn.describeExecution(executionArn).input).toBe('{"detail":{"n":1}}');
  });
});

describe('unknown and malformed ARNs', () => {
  it('answers ExecutionDoesNotExist, StateMachineDoesNotExist and InvalidArn in AWS words', async () => {
    h = new Harness();
    const arn = h.machine(WAIT_10, 'known');
    const missingMachine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:unknown';
    expect(await apiError(h.api('StartExecution', { stateMachineArn: missingMachine }))).toMatchObject({
      code: 'StateMachineDoesNotExist',
      message: `State Machine Does Not Exist: '${missingMachine}'`,
    });
    expect((await apiError(h.api('DescribeStateMachine', { stateMachineArn: missingMachine }))).code).toBe(
      'StateMachineDoesNotExist',
    );
    expect((await apiError(h.api('ListExecutions', { stateMachineArn: missingMachine }))).code).toBe(
      'StateMachineDoesNotExist',
    );
    const missingExecution = 'arn:aws:states:eu-west-1:123456789012:execution:known:nope';
    for (const action of ['DescribeExecution', 'GetExecutionHistory', 'StopExecution']) {
      expect(await apiError(h.api(action, { executionArn: missingExecution }))).toMatchObject({
        code: 'ExecutionDoesNotExist',
        message: `Execution Does Not Exist: '${missingExecution}'`,
      });
    }
    expect(await apiError(h.api('DescribeExecution', { executionArn: arn }))).toMatchObject({
      code: 'InvalidArn',
      message: "Invalid Arn: 'Resource type not valid in this context: statemachine'",
    });
    expect(await apiError(h.api('DescribeExecution', { executionArn: 'nonsense' }))).toMatchObject({
      code: 'InvalidArn',
      message: "Invalid Arn: 'Invalid ARN prefix: nonsense'",
    });
    expect((await apiError(h.api('DescribeExecution', {}))).code).toBe('ValidationException');
    expect((await apiError(h.api('StartSyncExecution', {}))).code).toBe('UnknownOperationException');
  });
});

describe('state machines', () => {
  it('creates, describes, lists, updates and deletes them', async () => {
    h = new Harness();
    const definition = JSON.stringify(WAIT_10);
    const created = (await h.api('CreateStateMachine', { name: 'm1', definition, roleArn: ROLE })) as {
      stateMachineArn: string;
      creationDate: number;
    };
    expect(created).toEqual({
      stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:m1',
      creationDate: START / 1000,
    });
    // Idempotent for the same request, refused for a different one.
    expect(await h.api('CreateStateMachine', { name: 'm1', definition, roleArn: ROLE })).toEqual(created);
    const exists = await apiError(
      h.api('CreateStateMachine', {
        name: 'm1',
        definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
        roleArn: ROLE,
      }),
    );
    expect(exists).toMatchObject({
      code: 'StateMachineAlreadyExists',
      message: `State Machine Already Exists: '${created.stateMachineArn}'`,
    });

    expect(await h.api('DescribeStateMachine', { stateMachineArn: created.stateMachineArn })).toMatchObject({
      name: 'm1',
      status: 'ACTIVE',
      definition,
      roleArn: ROLE,
      type: 'STANDARD',
      creationDate: START / 1000,
    });
    expect(await h.api('ListStateMachines', {})).toEqual({
      stateMachines: [
        {
          stateMachineArn: created.stateMachineArn,
          name: 'm1',
          type: 'STANDARD',
          creationDate: START / 1000,
        },
      ],
    });

    const running = h.start(created.stateMachineArn);
    await h.api('DeleteStateMachine', { stateMachineArn: created.stateMachineArn });
    expect((await h.api('ListStateMachines', {})) as { stateMachines: unknown[] }).toEqual({
      stateMachines: [],
    });
    expect((await apiError(h.api('StartExecution', { stateMachineArn: created.stateMachineArn }))).code).toBe(
      'StateMachineDoesNotExist',
    );
    // Its running executions were stopped, and can still be described.
    await h.advance(1);
    expect(h.sfn.describeExecution(running).status).toBe('ABORTED');
  });

  it('refuses invalid definitions with InvalidDefinition, in AWS words', async () => {
    h = new Harness();
    const create = (definition: unknown) =>
      apiError(
        h.api('CreateStateMachine', {
          name: 'bad',
          definition: typeof definition === 'string' ? definition : JSON.stringify(definition),
          roleArn: ROLE,
        }),
      );
    expect((await create({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } })).message).toBe(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'StartAt'|'Next'|'Default' target: B, MISSING_TERMINAL_STATE: State machine fsm1 is missing a terminal state'",
    );
    expect(
      await create({ StartAt: 'A', States: { A: { Type: 'Wait', Seconds: 'ten', End: true } } }),
    ).toMatchObject({
      code: 'InvalidDefinition',
      message:
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: must match exactly one schema in oneOf at /States/A/Seconds'",
    });
    expect((await create('{"StartAt": ')).message).toMatch(
      /^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: /,
    );
    expect((await create('[1]')).message).toBe(
      "Invalid State Machine Definition: 'Definition must be a valid JSON object'",
    );
    expect(
      (
        await create({
          QueryLanguage: 'JSONata',
          StartAt: 'A',
          States: { A: { Type: 'Pass', InputPath: '$.a', End: true } },
        })
      ).message,
    ).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage at /States/A'",
    );
    expect(
      (
        await create({
          StartAt: 'Par',
          States: {
            Par: {
              Type: 'Parallel',
              Branches: [
                { StartAt: 'X', States: { X: { Type: 'Pass', End: true } } },
                { StartAt: 'X', States: { X: { Type: 'Pass', End: true } } },
              ],
              End: true,
            },
          },
        })
      ).message,
    ).toBe(
      "Invalid State Machine Definition: 'DUPLICATE_STATE_NAMES: A state with this name already exists: X'",
    );
    expect(
      (await apiError(h.api('CreateStateMachine', { name: 'bad', definition: JSON.stringify(WAIT_10) })))
        .code,
    ).toBe('ValidationException');
  });

  // States Language, "Error names": States.ALL "must appear alone in its ErrorEquals array and
  // must appear in the last Retrier (Catcher)"; AWS's words as recorded in aws/aws-cdk#10530.
  it('refuses States.ALL before other catchers or retriers, or beside other errors, as AWS does', async () => {
    h = new Harness();
    const create = (definition: unknown) =>
      apiError(
        h.api('CreateStateMachine', { name: 'bad', definition: JSON.stringify(definition), roleArn: ROLE }),
      );
    const task = (extra: Record<string, unknown>) => ({
      StartAt: 'T',
      States: { T: { Type: 'Pass', End: true, ...extra }, F: { Type: 'Fail' } },
    });
    expect(
      await create(
        task({
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Catch: [
            { ErrorEquals: ['States.ALL'], Next: 'F' },
            { ErrorEquals: ['Boom'], Next: 'F' },
          ],
        }),
      ),
    ).toMatchObject({
      code: 'InvalidDefinition',
      message:
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: States.ALL must appear alone and at end of list at /States/T/Catch[0]/ErrorEquals[0]'",
    });
    expect(
      (
        await create(
          task({
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Retry: [{ ErrorEquals: ['Boom', 'States.ALL'] }],
          }),
        )
      ).message,
    ).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: States.ALL must appear alone and at end of list at /States/T/Retry[0]/ErrorEquals[1]'",
    );
    const inBranch = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            task({
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Catch: [
                { ErrorEquals: ['States.ALL'], Next: 'F' },
                { ErrorEquals: ['States.Timeout'], Next: 'F' },
              ],
            }),
          ],
        },
      },
    };
    expect((await create(inBranch)).message).toContain(
      'at /States/P/Branches[0]/States/T/Catch[0]/ErrorEquals[0]',
    );
    // Last and alone, it is what it is for.
    const ok = await h.api('CreateStateMachine', {
      name: 'ok',
      definition: JSON.stringify(
        task({
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Catch: [
            { ErrorEquals: ['Boom'], Next: 'F' },
            { ErrorEquals: ['States.ALL'], Next: 'F' },
          ],
        }),
      ),
      roleArn: ROLE,
    });
    expect(ok).toMatchObject({ stateMachineArn: expect.stringContaining(':stateMachine:ok') });
  });
});

describe('ListExecutions, GetExecutionHistory and StopExecution', () => {
  it('filters by status and pages newest first', async () => {
    h = new Harness();
    const arn = h.machine(WAIT_10);
    const names = ['a', 'b', 'c', 'd', 'e'];
    for (const name of names) {
      h.start(arn, {}, name);
      await h.advance(1_000);
    }
    await h.advance(6_000); // a and b are done (10 s), c, d, e still wait.
    const running = (await h.api('ListExecutions', { stateMachineArn: arn, statusFilter: 'RUNNING' })) as {
      executions: Array<{ name: string; status: string; startDate: number }>;
    };
    expect(running.executions.map((e) => e.name)).toEqual(['e', 'd', 'c']);
    expect(running.executions[0].startDate).toBe((START + 4_000) / 1000);
    const page1 = (await h.api('ListExecutions', { stateMachineArn: arn, maxResults: 2 })) as {
      executions: Array<{ name: string }>;
      nextToken?: string;
    };
    expect(page1.executions.map((e) => e.name)).toEqual(['e', 'd']);
    const page2 = (await h.api('ListExecutions', {
      stateMachineArn: arn,
      maxResults: 2,
      nextToken: page1.nextToken,
    })) as { executions: Array<{ name: string }>; nextToken?: string };
    const page3 = (await h.api('ListExecutions', {
      stateMachineArn: arn,
      maxResults: 2,
      nextToken: page2.nextToken,
    })) as { executions: Array<{ name: string }>; nextToken?: string };
    expect([...page2.executions, ...page3.executions].map((e) => e.name)).toEqual(['c', 'b', 'a']);
    expect(page3.nextToken).toBeUndefined();
    expect(
      await apiError(h.api('ListExecutions', { stateMachineArn: arn, statusFilter: 'succeeded' })),
    ).toMatchObject({
      code: 'ValidationException',
      message: expect.stringContaining("Value 'succeeded' at 'statusFilter'"),
    });
    expect(
      (await apiError(h.api('ListExecutions', { stateMachineArn: arn, maxResults: 1001 }))).message,
    ).toBe(
      "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
  });

  it('returns history in reverse, in pages, and without execution data when asked', async () => {
    h = new Harness();
    const arn = h.machine({
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Result: { secret: 1 }, Next: 'W' },
        W: { Type: 'Wait', Seconds: 1, End: true },
      },
    });
    const executionArn = h.start(arn, { input: 'x' });
    await h.finish(executionArn);
    const reversed = (await h.api('GetExecutionHistory', {
      executionArn,
      reverseOrder: true,
      maxResults: 2,
    })) as { events: Array<{ id: number; type: string; timestamp: number }>; nextToken?: string };
    expect(reversed.events.map((e) => [e.id, e.type])).toEqual([
      [6, 'ExecutionSucceeded'],
      [5, 'WaitStateExited'],
    ]);
    expect(reversed.events[0].timestamp).toBe((START + 1_000) / 1000);
    const rest = (await h.api('GetExecutionHistory', {
      executionArn,
      reverseOrder: true,
      nextToken: reversed.nextToken,
    })) as { events: Array<{ id: number }> };
    expect(rest.events.map((e) => e.id)).toEqual([4, 3, 2, 1]);
    const bare = (await h.api('GetExecutionHistory', { executionArn, includeExecutionData: false })) as {
      events: Array<Record<string, any>>;
    };
    expect(bare.events[0].executionStartedEventDetails).toEqual({
      inputDetails: { truncated: false },
      roleArn: ROLE,
    });
    expect(bare.events[2].stateExitedEventDetails).toEqual({
      name: 'P',
      outputDetails: { truncated: false },
    });
  });

  it('stops a running execution: ABORTED, with the error and cause given', async () => {
    h = new Harness();
    const arn = h.machine(WAIT_10);
    const executionArn = h.start(arn);
    await h.advance(3_000);
    const stopped = (await h.api('StopExecution', { executionArn, error: 'Reset', cause: 'new game' })) as {
      stopDate: number;
    };
    expect(stopped.stopDate).toBe((START + 3_000) / 1000);
    const described = (await h.api('DescribeExecution', { executionArn })) as Record<string, unknown>;
    expect(described).toMatchObject({
      status: 'ABORTED',
      error: 'Reset',
      cause: 'new game',
      stopDate: (START + 3_000) / 1000,
      input: '{}',
      inputDetails: { included: true },
    });
    await h.advance(20_000);
    expect(h.types(executionArn)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
    expect(h.sfn.describeExecution(executionArn).status).toBe('ABORTED');
  });

  it('times out the execution after the definition TimeoutSeconds', async () => {
    h = new Harness();
    const arn = h.machine({ TimeoutSeconds: 5, ...WAIT_10 });
    const executionArn = h.start(arn);
    const done = await h.finish(executionArn);
    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(done.stopDate!.getTime()).toBe(START + 5_000);
    expect(h.types(executionArn).at(-1)).toBe('ExecutionTimedOut');
  });
});
