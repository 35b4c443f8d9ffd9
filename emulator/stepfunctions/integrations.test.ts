import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './test-harness.ts';

/**
 * Every Task goes to the local cloud: optimized integrations with AWS's request and result
 * shapes and error names. Lambda is a stand-in for LambdaService (handlers run in-process);
 * EventBridge and DynamoDB are small stand-ins too.
 */
let h: Harness;
afterEach(() => h?.dispose());

describe('lambda:invoke (Lambda: in-test stand-in for LambdaService)', () => {
  it('passes Parameters.Payload and wraps the result like AWS (Payload, StatusCode, SdkHttpMetadata...)', async () => {
    h = new Harness();
    const fn = h.fn('spawn', (e) => ({ spawned: e.count }));
    const arn = h.machine({
      StartAt: 'Spawn',
      States: {
        Spawn: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: fn, 'Payload.$': '$' },
          OutputPath: '$',
          End: true,
        },
      },
    });
    const executionArn = h.start(arn, { count: 3 });
    const out = JSON.parse((await h.finish(executionArn)).output!);
    expect(out).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { spawned: 3 },
      StatusCode: 200,
      SdkResponseMetadata: { RequestId: 'req-1' },
    });
    expect(out.SdkHttpMetadata).toMatchObject({
      HttpStatusCode: 200,
      HttpHeaders: { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' },
    });
    expect(h.invocations[0].event).toEqual({ count: 3 });
    const history = h.history(executionArn);
    // lambda:invoke is a service integration: Task* events, as AWS shows them.
    expect(history.map((e) => e.type).slice(2, 5)).toEqual(['TaskScheduled', 'TaskStarted', 'TaskSucceeded']);
    expect(history[2].taskScheduledEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke',
      region: 'eu-west-1',
      parameters: JSON.stringify({ FunctionName: fn, Payload: { count: 3 } }),
    });
  });

  it('takes a function by name, and fails with the function error name a Retry or Catch can match', async () => {
    h = new Harness();
    let calls = 0;
    h.fn('dojo-local-flaky', () => {
      calls++;
      throw Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' });
    });
    const arn = h.machine({
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'dojo-local-flaky', Payload: {} },
          Retry: [
            {
              ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'],
              IntervalSeconds: 1,
              MaxAttempts: 2,
            },
          ],
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    });
    const executionArn = h.start(arn);
    const out = JSON.parse((await h.finish(executionArn)).output!);
    expect(calls).toBe(3);
    expect(out.Error).toBe('Lambda.TooManyRequestsException');
    expect(JSON.parse(out.Cause)).toMatchObject({
      errorType: 'Lambda.TooManyRequestsException',
      errorMessage: 'Rate exceeded',
    });
    expect(h.history(executionArn).filter((e) => e.type === 'TaskFailed')).toHaveLength(3);
  });

  it('fires and forgets with InvocationType Event', async () => {
    h = new Harness();
    const fn = h.fn('background', () => 'done later');
    const arn = h.machine({
      StartAt: 'Fire',
      States: {
        Fire: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: fn, InvocationType: 'Event', Payload: { a: 1 } },
          End: true,
        },
      },
    });
    const out = JSON.parse((await h.finish(h.start(arn))).output!);
    expect(out).toMatchObject({ StatusCode: 202, Payload: '' });
    expect(h.invocations).toHaveLength(1);
  });
});

describe('events:putEvents', () => {
  it('puts the Entries (a JSON Detail becomes text) and returns Entries and FailedEntryCount', async () => {
    h = new Harness();
    const arn = h.machine({
      StartAt: 'Announce',
      States: {
        Announce: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Parameters: {
            Entries: [
              { Source: 'dojo.virus', DetailType: 'Virus Created', 'Detail.$': '$.virus' },
              { Source: 'dojo.virus', DetailType: 'Text', Detail: '{"x":1}' },
            ],
          },
          End: true,
        },
      },
    });
    const executionArn = h.start(arn, { virus: { id: 'v-1' } });
    const out = JSON.parse((await h.finish(executionArn)).output!);
    expect(out).toEqual({
      Entries: [{ EventId: 'event-1-0' }, { EventId: 'event-1-1' }],
      FailedEntryCount: 0,
    });
    expect(h.putEventsCalls[0].entries).toEqual([
      { Source: 'dojo.virus', DetailType: 'Virus Created', Detail: '{"id":"v-1"}' },
      { Source: 'dojo.virus', DetailType: 'Text', Detail: '{"x":1}' },
    ]);
    expect(h.history(executionArn)[4].taskSucceededEventDetails).toMatchObject({
      resourceType: 'events',
      resource: 'putEvents',
    });
  });

  it('fails with EventBridge.FailedEntry when an entry is refused', async () => {
    h = new Harness();
    h.putEventsResult = () => ({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }],
    });
    const arn = h.machine({
      StartAt: 'Announce',
      States: {
        Announce: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Parameters: { Entries: [{ Source: 's', DetailType: 'd', Detail: 'nope' }] },
          End: true,
        },
      },
    });
    const done = await h.finish(h.start(arn));
    expect(done).toMatchObject({ status: 'FAILED', error: 'EventBridge.FailedEntry' });
    expect(JSON.parse(done.cause!)).toEqual({
      Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }],
      FailedEntryCount: 1,
    });
  });
});

describe('dynamodb:*Item', () => {
  it('passes Parameters as the DynamoDB API input and returns the API output', async () => {
    h = new Harness();
    const arn = h.machine({
      StartAt: 'Put',
      States: {
        Put: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: {
            TableName: 'viruses',
            Item: { id: { 'S.$': '$.id' }, hp: { N: '3' } },
            ConditionExpression: 'attribute_not_exists(id)',
          },
          ResultPath: null,
          Next: 'Get',
        },
        Get: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: 'viruses', Key: { id: { 'S.$': '$.id' } } },
          ResultSelector: { 'item.$': '$.Item' },
          End: true,
        },
      },
    });
    const first = await h.finish(h.start(arn, { id: 'v-1' }));
    expect(JSON.parse(first.output!)).toEqual({ item: { id: { S: 'v-1' }, hp: { N: '3' } } });
    // The condition fails the second time: DynamoDB's error, prefixed as AWS prefixes it.
    const second = await h.finish(h.start(arn, { id: 'v-1' }));
    expect(second).toMatchObject({ status: 'FAILED', error: 'DynamoDB.ConditionalCheckFailedException' });
    expect(second.cause).toMatch(
      /^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: .+; Proxy: null\)$/,
    );
  });

  it('reports DynamoDB validation errors as DynamoDB.AmazonDynamoDBException, and runs aws-sdk:dynamodb actions', async () => {
    h = new Harness();
    const arn = h.machine({
      StartAt: 'Sdk',
      States: {
        Sdk: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem',
          Parameters: { TableName: 'viruses', Item: { id: { S: 'x' } } },
          Next: 'Bad',
        },
        Bad: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:updateItem',
          Parameters: { TableName: 'viruses', Key: { id: { S: 'x' } } },
          End: true,
        },
      },
    });
    const done = await h.finish(h.start(arn));
    expect(h.items.has('{"S":"x"}')).toBe(true);
    expect(done).toMatchObject({ status: 'FAILED', error: 'DynamoDB.AmazonDynamoDBException' });
  });
});

describe('states:startExecution (Lambda: in-test stand-in for LambdaService)', () => {
  it('starts another execution, caused by the state that started it', async () => {
    h = new Harness();
    const child = h.machine({ StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } }, 'child');
    const parent = h.machine(
      {
        StartAt: 'StartChild',
        States: {
          StartChild: {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution',
            Parameters: { StateMachineArn: child, Name: 'child-1', Input: { 'from.$': '$$.Execution.Id' } },
            End: true,
          },
        },
      },
      'parent',
    );
    const parentArn = h.start(parent);
    const out = JSON.parse((await h.finish(parentArn)).output!);
    expect(out.ExecutionArn).toBe('arn:aws:states:eu-west-1:123456789012:execution:child:child-1');
    expect(typeof out.StartDate).toBe('number');
    const childDone = await h.finish(out.ExecutionArn);
    expect(JSON.parse(childDone.output!)).toEqual({ from: parentArn });
    const childStart = h.trace.find('sfn.execution.start', (e) => e.executionArn === out.ExecutionArn)[0];
    expect(h.trace.get(childStart.cause!)).toMatchObject({ kind: 'sfn.state.enter', state: 'StartChild' });

    // Starting the same name again fails with the API error, prefixed as AWS prefixes it.
    const again = await h.finish(h.start(parent));
    expect(again).toMatchObject({ status: 'FAILED', error: 'StepFunctions.ExecutionAlreadyExistsException' });
  });
});

describe('unsupported resources (Lambda: in-test stand-in for LambdaService)', () => {
  it('fails the execution with a clear error naming the resource, which no Catch can take', async () => {
    h = new Harness();
    const arn = h.machine({
      StartAt: 'Notify',
      States: {
        Notify: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Parameters: { TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t', Message: 'hi' },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Succeed' },
      },
    });
    const done = await h.finish(h.start(arn));
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.Runtime');
    expect(done.cause).toContain(
      'The local cloud does not support the Task resource arn:aws:states:::sns:publish (supported: arn:aws:lambda:REGION:ACCOUNT:function:NAME, arn:aws:states:::lambda:invoke,',
    );
  });

  it('names .sync integrations as unsupported too', async () => {
    h = new Harness();
    const child = h.machine({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, 'child');
    const arn = h.machine({
      StartAt: 'Run',
      States: {
        Run: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: { StateMachineArn: child },
          End: true,
        },
      },
    });
    const done = await h.finish(h.start(arn));
    expect(done.cause).toContain(
      'does not support the Task resource arn:aws:states:::states:startExecution.sync:2',
    );
  });
});
