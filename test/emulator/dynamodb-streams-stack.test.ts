/**
 * A table's stream as CloudFormation manages it: `Fn::GetAtt StreamArn`, a new view type on
 * redeploy (a new stream, the items kept, a mapping on it replaced to follow the new ARN),
 * the stream removed with StreamSpecification; and Step Functions' DynamoDB task writing
 * through the same path as a client, so its change is on the stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LocalCloud } from '../../emulator/cloud.ts';
import type { Template } from '../../emulator/stack/package.ts';
import { functionsTemplate, tempService, waitFor } from '../support/temp-service.ts';

const service = tempService({ 'functions/noop.ts': `export const main = async () => ({});` });

describe('DynamoDB Streams in a stack', () => {
  let cloud: LocalCloud;
  let ddb: DynamoDBClient;
  let streams: DynamoDBStreamsClient;
  const template = (StreamSpecification?: { StreamViewType: string }): Template => {
    const t = functionsTemplate({ noop: { handler: 'functions/noop.main' } }, [
      { Effect: 'Allow', Action: ['dynamodb:*'], Resource: '*' },
    ]);
    return {
      Resources: {
        ...t.Resources,
        VirusTable: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            TableName: 'stacked',
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            ...(StreamSpecification ? { StreamSpecification } : {}),
          },
        },
        ...(StreamSpecification
          ? {
              Mapping: {
                Type: 'AWS::Lambda::EventSourceMapping',
                Properties: {
                  FunctionName: { Ref: 'NoopLambdaFunction' },
                  EventSourceArn: { 'Fn::GetAtt': ['VirusTable', 'StreamArn'] },
                  StartingPosition: 'TRIM_HORIZON',
                },
              },
            }
          : {}),
      },
      Outputs: StreamSpecification
        ? { Stream: { Value: { 'Fn::GetAtt': ['VirusTable', 'StreamArn'] } } }
        : {},
    };
  };
  const deploy = (StreamSpecification?: { StreamViewType: string }) =>
    cloud.deployTemplate(template(StreamSpecification), { serviceDir: service.dir, stackName: 'test-local' });

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 10, 21, 10, 0, 0) });
    ddb = new DynamoDBClient(cloud.clientConfig());
    streams = new DynamoDBStreamsClient(cloud.clientConfig());
  });
  afterAll(async () => {
    ddb?.destroy();
    streams?.destroy();
    await cloud?.stop();
    service.remove();
  });

  it('makes a new stream for a new view type, keeps the items, and moves the mapping to it', async () => {
    const first = await deploy({ StreamViewType: 'NEW_IMAGE' });
    const firstArn = String(first.outputs.Stream);
    expect(cloud.eventSourceMappings.list()).toEqual([expect.objectContaining({ EventSourceArn: firstArn })]);
    await ddb.send(new PutItemCommand({ TableName: 'stacked', Item: { id: { S: 'kept' } } }));

    await cloud.clock.advance(1000);
    const second = await deploy({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const secondArn = String(second.outputs.Stream);
    expect(secondArn).not.toBe(firstArn);
    expect(second.changes).toEqual(
      expect.arrayContaining([
        { logicalId: 'VirusTable', type: 'AWS::DynamoDB::Table', action: 'update' },
        { logicalId: 'Mapping', type: 'AWS::Lambda::EventSourceMapping', action: 'replace' },
      ]),
    );
    expect(cloud.eventSourceMappings.list()).toEqual([
      expect.objectContaining({ EventSourceArn: secondArn, StartingPosition: 'TRIM_HORIZON' }),
    ]);
    expect((await ddb.send(new ScanCommand({ TableName: 'stacked' }))).Items).toEqual([
      { id: { S: 'kept' } },
    ]);
    const old = await streams.send(new DescribeStreamCommand({ StreamArn: firstArn }));
    expect(old.StreamDescription?.StreamStatus).toBe('DISABLED');

    await deploy();
    expect(cloud.dynamodb.streams.enabled('stacked')).toBeUndefined();
    expect(cloud.eventSourceMappings.list()).toEqual([]);
  });

  it('streams what a Step Functions DynamoDB task writes', async () => {
    await deploy({ StreamViewType: 'KEYS_ONLY' });
    const { stateMachineArn } = cloud.sfn.createStateMachine({
      name: 'writer',
      roleArn: 'arn:aws:iam::123456789012:role/test-local-lambdaRole',
      definition: JSON.stringify({
        StartAt: 'Put',
        States: {
          Put: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:putItem',
            Parameters: { TableName: 'stacked', Item: { id: { S: 'from-sfn' } } },
            End: true,
          },
        },
      }),
    });
    cloud.sfn.startExecution({ stateMachineArn, input: '{}' });
    const arn = cloud.dynamodb.streams.enabled('stacked')!.arn;
    await waitFor(() => cloud.dynamodb.streams.read(arn, 0n, 10).length === 1, 'the record', 45_000);
    expect(cloud.dynamodb.streams.read(arn, 0n, 10)[0].record).toMatchObject({
      eventName: 'INSERT',
      dynamodb: { Keys: { id: { S: 'from-sfn' } }, StreamViewType: 'KEYS_ONLY' },
    });
  });
});
