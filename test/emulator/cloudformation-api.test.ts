/**
 * CloudFormation's API through the real AWS SDK v3 client: stacks created, updated and
 * deleted by the local cloud's one deployer, with AWS's statuses, stack events and errors;
 * a failing resource rolls the stack back, naming the resource and AWS's reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListExportsCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  UpdateStackCommand,
  ValidateTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LocalCloud } from '../../emulator/cloud.ts';

const table = (name: string, hashKey = 'id') => ({
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: hashKey, KeyType: 'HASH' }],
  },
});

const good = {
  Description: 'A table and its name as an export',
  Resources: { Viruses: table('viruses') },
  Outputs: {
    TableName: { Value: { Ref: 'Viruses' }, Export: { Name: 'dojo-viruses-table' } },
    TableArn: { Value: { 'Fn::GetAtt': ['Viruses', 'Arn'] } },
  },
};

/** The failing-resource fixture: a key on an attribute never defined, which DynamoDB refuses. */
const failing = {
  Resources: { Viruses: table('viruses-bad'), Broken: table('broken', 'strength') },
};

describe('CloudFormation through the AWS SDK', () => {
  let cloud: LocalCloud;
  let cf: CloudFormationClient;

  const settle = async (name: string) => {
    await cloud.cloudFormation.settled(name);
    const { Stacks = [] } = await cf.send(new DescribeStacksCommand({ StackName: name }));
    return Stacks[0];
  };
  const statuses = async (name: string) => {
    const { StackEvents = [] } = await cf.send(new DescribeStackEventsCommand({ StackName: name }));
    return StackEvents.map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`).reverse();
  };

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 10, 21, 10, 0, 0) });
    cf = new CloudFormationClient(cloud.clientConfig());
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('creates a stack: CREATE_IN_PROGRESS then CREATE_COMPLETE, events newest first, outputs and exports', async () => {
    const { StackId } = await cf.send(
      new CreateStackCommand({
        StackName: 'outbreak',
        TemplateBody: JSON.stringify(good),
        Tags: [{ Key: 'dojo', Value: 'yes' }],
      }),
    );
    expect(StackId).toMatch(/^arn:aws:cloudformation:eu-west-1:123456789012:stack\/outbreak\/[0-9a-f-]{36}$/);
    const stack = await settle('outbreak');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack.Description).toBe('A table and its name as an export');
    expect(stack.Tags).toEqual([{ Key: 'dojo', Value: 'yes' }]);
    expect(stack.Outputs).toEqual(
      expect.arrayContaining([
        { OutputKey: 'TableName', OutputValue: 'viruses', ExportName: 'dojo-viruses-table' },
        { OutputKey: 'TableArn', OutputValue: 'arn:aws:dynamodb:eu-west-1:123456789012:table/viruses' },
      ]),
    );
    expect(await statuses('outbreak')).toEqual([
      'outbreak CREATE_IN_PROGRESS',
      'Viruses CREATE_IN_PROGRESS',
      'Viruses CREATE_COMPLETE',
      'outbreak CREATE_COMPLETE',
    ]);
    // The virtual clock stamps the events.
    const { StackEvents = [] } = await cf.send(new DescribeStackEventsCommand({ StackName: StackId }));
    expect(StackEvents[0].Timestamp?.getTime()).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 21, 10, 0, 0));
    expect(StackEvents[0].Timestamp?.getTime()).toBeLessThanOrEqual(cloud.clock.now());
    const dynamo = new DynamoDBClient(cloud.clientConfig());
    expect((await dynamo.send(new DescribeTableCommand({ TableName: 'viruses' }))).Table?.TableStatus).toBe(
      'ACTIVE',
    );

    const { StackResourceDetail } = await cf.send(
      new DescribeStackResourceCommand({ StackName: 'outbreak', LogicalResourceId: 'Viruses' }),
    );
    expect(StackResourceDetail).toMatchObject({
      PhysicalResourceId: 'viruses',
      ResourceStatus: 'CREATE_COMPLETE',
    });
    const { StackResourceSummaries } = await cf.send(
      new ListStackResourcesCommand({ StackName: 'outbreak' }),
    );
    expect(StackResourceSummaries?.map((r) => r.ResourceType)).toEqual(['AWS::DynamoDB::Table']);
    expect(
      JSON.parse((await cf.send(new GetTemplateCommand({ StackName: 'outbreak' }))).TemplateBody!),
    ).toEqual(good);
    const { Exports } = await cf.send(new ListExportsCommand({}));
    expect(Exports).toEqual([{ ExportingStackId: StackId, Name: 'dojo-viruses-table', Value: 'viruses' }]);
  });

  it('refuses what CloudFormation refuses, in its words', async () => {
    await expect(
      cf.send(new CreateStackCommand({ StackName: 'outbreak', TemplateBody: JSON.stringify(good) })),
    ).rejects.toMatchObject({ name: 'AlreadyExistsException', message: 'Stack [outbreak] already exists' });
    await expect(cf.send(new DescribeStacksCommand({ StackName: 'nowhere' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id nowhere does not exist',
    });
    await expect(
      cf.send(new UpdateStackCommand({ StackName: 'outbreak', TemplateBody: JSON.stringify(good) })),
    ).rejects.toThrow('No updates are to be performed.');
    await expect(
      cf.send(new ValidateTemplateCommand({ TemplateBody: JSON.stringify({ Resources: {} }) })),
    ).rejects.toThrow('Template format error: At least one Resources member must be defined.');
  });

  it("a failing resource: CREATE_FAILED with AWS's reason, then ROLLBACK_COMPLETE with nothing left", async () => {
    await cf.send(new CreateStackCommand({ StackName: 'broken', TemplateBody: JSON.stringify(failing) }));
    const stack = await settle('broken');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    const { StackEvents = [] } = await cf.send(new DescribeStackEventsCommand({ StackName: 'broken' }));
    const failed = StackEvents.find((e) => e.ResourceStatus === 'CREATE_FAILED');
    expect(failed).toMatchObject({ LogicalResourceId: 'Broken', ResourceType: 'AWS::DynamoDB::Table' });
    expect(failed?.ResourceStatusReason).toMatch(/One or more parameter values were invalid/);
    expect(StackEvents.find((e) => e.ResourceStatus === 'ROLLBACK_IN_PROGRESS')?.ResourceStatusReason).toBe(
      'The following resource(s) failed to create: [Broken]. Rollback requested by user.',
    );
    expect(await statuses('broken')).toContain('Viruses DELETE_COMPLETE');
    // A stack whose first deploy failed cannot be updated, only deleted (as on AWS).
    await expect(
      cf.send(new UpdateStackCommand({ StackName: 'broken', TemplateBody: JSON.stringify(good) })),
    ).rejects.toThrow(/is in ROLLBACK_COMPLETE state and can not be updated/);
    await cf.send(new DeleteStackCommand({ StackName: 'broken' }));
    await cloud.cloudFormation.settled(stack.StackId!);
    await expect(cf.send(new DescribeStacksCommand({ StackName: 'broken' }))).rejects.toThrow(
      'does not exist',
    );
    // By its StackId, a deleted stack is still described.
    const { Stacks } = await cf.send(new DescribeStacksCommand({ StackName: stack.StackId }));
    expect(Stacks?.[0].StackStatus).toBe('DELETE_COMPLETE');
  });

  it('a failed update rolls back to the previous template: UPDATE_ROLLBACK_COMPLETE, the table untouched', async () => {
    const worse = { Resources: { ...good.Resources, Broken: table('broken-too', 'strength') } };
    await cf.send(new UpdateStackCommand({ StackName: 'outbreak', TemplateBody: JSON.stringify(worse) }));
    expect((await settle('outbreak')).StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const events = await statuses('outbreak');
    expect(events.slice(-5)).toEqual([
      'Broken CREATE_IN_PROGRESS',
      'Broken CREATE_FAILED',
      'outbreak UPDATE_ROLLBACK_IN_PROGRESS',
      'outbreak UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      'outbreak UPDATE_ROLLBACK_COMPLETE',
    ]);
  });

  it('change sets with a TemplateURL in the local S3, as osls deploys', async () => {
    const s3 = new S3Client({ ...cloud.clientConfig(), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'deploys' }));
    const next = { ...good, Resources: { ...good.Resources, Spread: table('spread') } };
    await s3.send(
      new PutObjectCommand({ Bucket: 'deploys', Key: 't/next.json', Body: JSON.stringify(next) }),
    );
    await cf.send(
      new CreateChangeSetCommand({
        StackName: 'outbreak',
        ChangeSetName: 'add-spread',
        ChangeSetType: 'UPDATE',
        TemplateURL: 'https://s3.eu-west-1.amazonaws.com/deploys/t/next.json',
      }),
    );
    const cs = await cf.send(
      new DescribeChangeSetCommand({ StackName: 'outbreak', ChangeSetName: 'add-spread' }),
    );
    expect(cs).toMatchObject({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE' });
    expect(cs.Changes?.map((c) => [c.ResourceChange?.Action, c.ResourceChange?.LogicalResourceId])).toEqual([
      ['Add', 'Spread'],
    ]);
    await cf.send(new ExecuteChangeSetCommand({ StackName: 'outbreak', ChangeSetName: 'add-spread' }));
    expect((await settle('outbreak')).StackStatus).toBe('UPDATE_COMPLETE');
    expect((await statuses('outbreak')).slice(-4)).toEqual([
      'Spread CREATE_IN_PROGRESS',
      'Spread CREATE_COMPLETE',
      'outbreak UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      'outbreak UPDATE_COMPLETE',
    ]);
    // The same template again: a change set without changes, in the words osls looks for.
    await cf.send(
      new CreateChangeSetCommand({
        StackName: 'outbreak',
        ChangeSetName: 'again',
        TemplateURL: 'https://deploys.s3.eu-west-1.amazonaws.com/t/next.json',
      }),
    );
    expect(
      await cf.send(new DescribeChangeSetCommand({ StackName: 'outbreak', ChangeSetName: 'again' })),
    ).toMatchObject({
      Status: 'FAILED',
      StatusReason: expect.stringContaining("The submitted information didn't contain changes."),
    });
  });

  it('a bucket with objects cannot be deleted: DELETE_FAILED, and deleting again once it is empty succeeds', async () => {
    const s3 = new S3Client({ ...cloud.clientConfig(), forcePathStyle: true });
    await cf.send(
      new CreateStackCommand({
        StackName: 'photos',
        TemplateBody: JSON.stringify({
          Resources: { Photos: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'virus-photos-cf' } } },
        }),
      }),
    );
    expect((await settle('photos')).StackStatus).toBe('CREATE_COMPLETE');
    await s3.send(new PutObjectCommand({ Bucket: 'virus-photos-cf', Key: 'one.png', Body: 'png' }));
    await cf.send(new DeleteStackCommand({ StackName: 'photos' }));
    const stack = await settle('photos');
    expect(stack.StackStatus).toBe('DELETE_FAILED');
    const { StackEvents = [] } = await cf.send(new DescribeStackEventsCommand({ StackName: 'photos' }));
    expect(
      StackEvents.find((e) => e.ResourceStatus === 'DELETE_FAILED' && e.LogicalResourceId === 'Photos')
        ?.ResourceStatusReason,
    ).toBe('The bucket you tried to delete is not empty');
    await s3.send(new DeleteObjectCommand({ Bucket: 'virus-photos-cf', Key: 'one.png' }));
    await cf.send(new DeleteStackCommand({ StackName: 'photos' }));
    await cloud.cloudFormation.settled(stack.StackId!);
    expect((await statuses(stack.StackId!)).slice(-1)).toEqual(['photos DELETE_COMPLETE']);
    expect(cloud.s3.hasBucket('virus-photos-cf')).toBe(false);
  });

  it('deletes a stack: DELETE_IN_PROGRESS then DELETE_COMPLETE, its resources gone', async () => {
    const { StackId } = await settle('outbreak');
    await cf.send(new DeleteStackCommand({ StackName: 'outbreak' }));
    await cloud.cloudFormation.settled(StackId!);
    expect((await statuses(StackId!)).slice(-1)).toEqual(['outbreak DELETE_COMPLETE']);
    const { StackSummaries = [] } = await cf.send(
      new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }),
    );
    expect(StackSummaries.map((s) => s.StackName).sort()).toEqual(['broken', 'outbreak', 'photos']);
    const dynamo = new DynamoDBClient(cloud.clientConfig());
    await expect(dynamo.send(new DescribeTableCommand({ TableName: 'viruses' }))).rejects.toThrow(
      /not found/,
    );
  });
  // A waiter (the AWS CLI's `cloudformation deploy`: DescribeStacks, then 30 s of sleep while
  // the stack is in progress) gets its answer once the local deploy is done: the stack as it
  // then is, the events still showing the way there.
  it('answers DescribeStacks of a stack being created once it is created, its events still showing the create', async () => {
    await cf.send(new CreateStackCommand({ StackName: 'waited', TemplateBody: JSON.stringify(good) }));
    const { Stacks = [] } = await cf.send(new DescribeStacksCommand({ StackName: 'waited' }));
    expect(Stacks[0].StackStatus).toBe('CREATE_COMPLETE');
    expect((await statuses('waited'))[0]).toBe('waited CREATE_IN_PROGRESS');
    await cf.send(new DeleteStackCommand({ StackName: 'waited' }));
    await expect(cf.send(new DescribeStacksCommand({ StackName: 'waited' }))).rejects.toThrow(
      'does not exist',
    );
  });

  // A stopped `osls deploy` leaves its stack in CREATE_IN_PROGRESS, and `osls remove` deletes it
  // there and then: AWS accepts a delete of a stack being created (it gives the create up), and
  // refuses one while an update runs, in these words. (mustSettleFirst in checker/aws/stacks.ts
  // waits for the second, not the first.)
  it('deletes a stack still being created: the create is given up, DELETE_COMPLETE, nothing left', async () => {
    const { StackId } = await cf.send(
      new CreateStackCommand({ StackName: 'hasty', TemplateBody: JSON.stringify(good) }),
    );
    await cf.send(new DeleteStackCommand({ StackName: 'hasty' }));
    await cloud.cloudFormation.settled(StackId!);
    const events = await statuses(StackId!);
    expect(events[0]).toBe('hasty CREATE_IN_PROGRESS');
    expect(events).not.toContain('hasty CREATE_COMPLETE');
    expect(events.slice(-1)).toEqual(['hasty DELETE_COMPLETE']);
    await expect(cf.send(new DescribeStacksCommand({ StackName: 'hasty' }))).rejects.toThrow(
      'does not exist',
    );
    const dynamo = new DynamoDBClient(cloud.clientConfig());
    await expect(dynamo.send(new DescribeTableCommand({ TableName: 'viruses' }))).rejects.toThrow(
      /not found/,
    );

    await cf.send(new CreateStackCommand({ StackName: 'steady', TemplateBody: JSON.stringify(good) }));
    await settle('steady');
    const bigger = { Resources: { ...good.Resources, More: table('more-viruses') } };
    await cf.send(new UpdateStackCommand({ StackName: 'steady', TemplateBody: JSON.stringify(bigger) }));
    await expect(cf.send(new DeleteStackCommand({ StackName: 'steady' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack [steady] cannot be deleted while in status UPDATE_IN_PROGRESS',
    });
    expect((await settle('steady')).StackStatus).toBe('UPDATE_COMPLETE');
  });
});
