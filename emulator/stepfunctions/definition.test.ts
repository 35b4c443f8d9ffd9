import { describe, expect, it } from 'vitest';
import { parseStatesArn, validateName } from './arns.ts';
import { parseDefinition } from './definition.ts';
import { readPath } from './json-path.ts';
import { classifyResource, unsupportedResourceMessage } from './resources.ts';

describe('classifyResource', () => {
  it('knows a Lambda function ARN (as Fn::GetAtt resolves it), with or without a qualifier', () => {
    expect(
      classifyResource('arn:aws:lambda:eu-west-1:123456789012:function:dojo-local-createVirus'),
    ).toMatchObject({ service: 'lambda-function', style: 'lambda-function', waitForTaskToken: false });
    expect(classifyResource('arn:aws:lambda:eu-west-1:123456789012:function:fn:$LATEST')?.service).toBe(
      'lambda-function',
    );
  });

  it('knows the optimized integrations and their waitForTaskToken variants, named as history names them', () => {
    expect(classifyResource('arn:aws:states:::lambda:invoke')).toMatchObject({
      service: 'lambda-invoke',
      resourceType: 'lambda',
      resource: 'invoke',
      waitForTaskToken: false,
    });
    expect(classifyResource('arn:aws:states:::lambda:invoke.waitForTaskToken')).toMatchObject({
      service: 'lambda-invoke',
      resource: 'invoke.waitForTaskToken',
      waitForTaskToken: true,
    });
    expect(classifyResource('arn:aws:states:::events:putEvents.waitForTaskToken')).toMatchObject({
      service: 'events-put',
      resourceType: 'events',
      waitForTaskToken: true,
    });
    expect(classifyResource('arn:aws:states:::dynamodb:updateItem')).toMatchObject({
      service: 'dynamodb',
      action: 'UpdateItem',
    });
    expect(classifyResource('arn:aws:states:::states:startExecution')).toMatchObject({
      service: 'sfn-start',
      resourceType: 'states',
    });
    expect(classifyResource('arn:aws:states:::aws-sdk:dynamodb:query')).toMatchObject({
      service: 'sdk-dynamodb',
      action: 'Query',
      resourceType: 'aws-sdk:dynamodb',
    });
    expect(classifyResource('arn:aws:states:eu-west-1:123456789012:lambda:invoke')?.service).toBe(
      'lambda-invoke',
    );
  });

  it('leaves out what the local cloud cannot run', () => {
    for (const arn of [
      'arn:aws:states:::sns:publish',
      'arn:aws:states:::states:startExecution.sync',
      'arn:aws:states:::dynamodb:putItem.waitForTaskToken',
      'arn:aws:states:::aws-sdk:s3:getObject',
      'arn:aws:states:eu-west-1:123456789012:activity:approve',
    ]) {
      expect(classifyResource(arn)).toBeUndefined();
    }
    expect(unsupportedResourceMessage('arn:aws:states:::sns:publish')).toMatch(
      /^The local cloud does not support the Task resource arn:aws:states:::sns:publish \(supported: .*arn:aws:states:::lambda:invoke\.waitForTaskToken.*\)\.$/,
    );
  });
});

describe('parseDefinition', () => {
  const definition = {
    StartAt: 'Par',
    TimeoutSeconds: 10 ** 8,
    States: {
      Par: {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'Call',
            States: {
              Call: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Parameters: { FunctionName: 'f' },
                End: true,
              },
            },
          },
          {
            StartAt: 'Each',
            States: {
              Each: {
                Type: 'Map',
                Iterator: {
                  StartAt: 'Inner',
                  States: {
                    Inner: {
                      Type: 'Task',
                      Resource: 'arn:aws:states:::sns:publish',
                      TimeoutSeconds: 30,
                      End: true,
                    },
                  },
                },
                End: true,
              },
            },
          },
        ],
        Next: 'Long',
      },
      Long: { Type: 'Wait', Seconds: 10 ** 8, End: true },
    },
  };

  it('knows every state by name with the Parallel branches and Map iterators around it', () => {
    const parsed = parseDefinition(JSON.stringify(definition));
    expect([...parsed.states.keys()]).toEqual(['Par', 'Call', 'Each', 'Inner', 'Long']);
    expect(parsed.states.get('Call')!.scopes).toEqual([{ kind: 'parallel', state: 'Par', branch: 0 }]);
    expect(parsed.states.get('Inner')!.scopes).toEqual([
      { kind: 'parallel', state: 'Par', branch: 1 },
      { kind: 'map', state: 'Each' },
    ]);
    expect(parsed.states.get('Call')!.resource?.service).toBe('lambda-invoke');
    expect(parsed.states.get('Inner')!.resource).toBeUndefined();
    expect(parsed.text).toBe(JSON.stringify(definition));
  });

  it('refuses what the local cloud does not run, saying what to do instead, and accepts variables and Distributed Map', () => {
    const reader = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            Parameters: { Bucket: 'b', Key: 'k' },
            ReaderConfig: { InputType: 'PARQUET' },
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'P',
            States: { P: { Type: 'Pass', End: true } },
          },
          End: true,
        },
      },
    };
    expect(() => parseDefinition(reader)).toThrow(
      'Invalid State Machine Definition: \'UNSUPPORTED_BY_LOCAL_CLOUD: The local cloud does not support the ItemReader InputType "PARQUET" (it reads JSON, JSONL, CSV: convert a Parquet file or an S3 inventory manifest to one of them) at /States/M/ItemReader/ReaderConfig/InputType\'',
    );
    expect(() =>
      parseDefinition({ StartAt: 'A', States: { A: { Type: 'Pass', Assign: { x: 1 }, End: true } } }),
    ).not.toThrow();
    expect(() =>
      parseDefinition({
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
              StartAt: 'P',
              States: { P: { Type: 'Pass', End: true } },
            },
            End: true,
          },
        },
      }),
    ).not.toThrow();
  });
});

describe('long waits', () => {
  it('wait past what one JavaScript timer can hold (about 24.8 days) without firing early', async () => {
    const { Harness } = await import('./test-harness.ts');
    const h = new Harness();
    try {
      const arn = h.machine({
        StartAt: 'Long',
        States: { Long: { Type: 'Wait', Seconds: 30 * 86_400, End: true } },
      });
      const run = h.start(arn, {});
      await h.advance(25 * 86_400_000);
      expect(h.sfn.describeExecution(run).status).toBe('RUNNING');
      await h.advance(5 * 86_400_000);
      const done = h.sfn.describeExecution(run);
      expect(done.status).toBe('SUCCEEDED');
      expect(done.stopDate!.getTime() - done.startDate.getTime()).toBe(30 * 86_400_000);
    } finally {
      h.dispose();
    }
  });
});

describe('readPath', () => {
  it('reads simple reference paths and gives undefined for anything else', () => {
    const doc = { a: { b: [10, { c: 'x' }] }, 'odd key': 1 };
    expect(readPath(doc, '$')).toBe(doc);
    expect(readPath(doc, '$.a.b[1].c')).toBe('x');
    expect(readPath(doc, "$['odd key']")).toBe(1);
    expect(readPath(doc, '$.a.missing')).toBeUndefined();
    expect(readPath(doc, '$..c')).toBeUndefined();
    expect(readPath(doc, '$.a.b[?(@ > 1)]')).toBeUndefined();
  });
});

describe('ARNs and names', () => {
  it('parses state machine and execution ARNs, refusing others with InvalidArn', () => {
    expect(parseStatesArn('arn:aws:states:eu-west-1:123456789012:execution:m:run-1', 'execution')).toEqual({
      resourceType: 'execution',
      stateMachineName: 'm',
      executionName: 'run-1',
    });
    expect(() => parseStatesArn('arn:aws:states:eu-west-1:123456789012:execution:m', 'execution')).toThrow(
      'Invalid Arn',
    );
    expect(() => parseStatesArn('arn:aws:lambda:eu-west-1:123456789012:function:f', 'stateMachine')).toThrow(
      "Invalid Arn: 'Invalid ARN prefix: arn:aws:lambda:eu-west-1:123456789012:function:f'",
    );
  });

  it('validates names as AWS does', () => {
    for (const ok of ['run-1', 'Run_2.x', 'a'.repeat(80), 'é']) expect(() => validateName(ok)).not.toThrow();
    for (const bad of ['', 'a'.repeat(81), 'a b', 'a/b', 'a:b', 'a*', 'tab\there', 'nul\u0000'])
      expect(() => validateName(bad)).toThrow('Invalid Name');
  });
});

describe('Choice type tests set to false', () => {
  it('match when the test fails, as on AWS (IsPresent: false goes to the absent branch)', async () => {
    const { Harness } = await import('./test-harness.ts');
    const h = new Harness();
    try {
      const arn = h.machine({
        StartAt: 'C',
        States: {
          C: {
            Type: 'Choice',
            Choices: [{ Variable: '$.item', IsPresent: false, Next: 'Absent' }],
            Default: 'Present',
          },
          Absent: { Type: 'Succeed' },
          Present: { Type: 'Succeed' },
        },
      });
      const absent = h.start(arn, {});
      await h.finish(absent);
      expect(
        h.sfn
          .getExecutionHistory(absent)
          .some((e) => (e.stateEnteredEventDetails as { name?: string } | undefined)?.name === 'Absent'),
      ).toBe(true);
      const present = h.start(arn, { item: 1 });
      await h.finish(present);
      expect(
        h.sfn
          .getExecutionHistory(present)
          .some((e) => (e.stateEnteredEventDetails as { name?: string } | undefined)?.name === 'Present'),
      ).toBe(true);
    } finally {
      h.dispose();
    }
  });
});
