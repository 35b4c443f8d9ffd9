import { describe, expect, it } from 'vitest';
import { iamActionFor } from './actions.ts';
import { evaluate, type PolicyStatement } from './policy.ts';

const ctx = { region: 'eu-west-1', accountId: '123456789012' };
const TABLE = 'arn:aws:dynamodb:eu-west-1:123456789012:table/viruses';

describe('iamActionFor: DynamoDB', () => {
  it('maps item operations to the table they name', () => {
    for (const op of ['PutItem', 'GetItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'DescribeTable']) {
      expect(iamActionFor('dynamodb', op, { TableName: 'viruses' }, ctx)).toEqual({
        action: `dynamodb:${op}`,
        resources: [TABLE],
        checks: [{ action: `dynamodb:${op}`, resource: TABLE }],
      });
    }
  });

  it('puts Query and Scan on an index on the index ARN', () => {
    expect(
      iamActionFor('dynamodb', 'Query', { TableName: 'viruses', IndexName: 'byCreatedAt' }, ctx).resources,
    ).toEqual([`${TABLE}/index/byCreatedAt`]);
    expect(
      iamActionFor('dynamodb', 'Scan', { TableName: 'viruses', IndexName: 'byCreatedAt' }, ctx).resources,
    ).toEqual([`${TABLE}/index/byCreatedAt`]);
  });

  it('accepts a table ARN in TableName', () => {
    expect(iamActionFor('dynamodb', 'GetItem', { TableName: TABLE }, ctx).resources).toEqual([TABLE]);
  });

  it('checks batch operations on every table they touch', () => {
    const batch = iamActionFor(
      'dynamodb',
      'BatchWriteItem',
      { RequestItems: { viruses: [{ PutRequest: {} }], players: [{ DeleteRequest: {} }] } },
      ctx,
    );
    expect(batch.action).toBe('dynamodb:BatchWriteItem');
    expect(batch.resources).toEqual([TABLE, 'arn:aws:dynamodb:eu-west-1:123456789012:table/players']);
    expect(
      iamActionFor('dynamodb', 'BatchGetItem', { RequestItems: { viruses: { Keys: [] } } }, ctx).resources,
    ).toEqual([TABLE]);
  });

  it('checks each transaction item as the single-item operation it performs', () => {
    const tx = iamActionFor(
      'dynamodb',
      'TransactWriteItems',
      {
        TransactItems: [
          { Put: { TableName: 'viruses', Item: {} } },
          { Update: { TableName: 'players', Key: {} } },
          { ConditionCheck: { TableName: 'viruses', Key: {} } },
          { Put: { TableName: 'viruses', Item: {} } },
        ],
      },
      ctx,
    );
    expect(tx.checks).toEqual([
      { action: 'dynamodb:PutItem', resource: TABLE },
      { action: 'dynamodb:UpdateItem', resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/players' },
      { action: 'dynamodb:ConditionCheckItem', resource: TABLE },
    ]);
    expect(tx.action).toBe('dynamodb:PutItem');
    expect(tx.resources).toEqual([TABLE]);
    expect(
      iamActionFor(
        'dynamodb',
        'TransactGetItems',
        { TransactItems: [{ Get: { TableName: 'viruses', Key: {} } }] },
        ctx,
      ).checks,
    ).toEqual([{ action: 'dynamodb:GetItem', resource: TABLE }]);
  });

  it('maps PartiQL statements to their PartiQL action on the table or index', () => {
    expect(
      iamActionFor(
        'dynamodb',
        'ExecuteStatement',
        { Statement: 'SELECT * FROM "viruses"."byCreatedAt" WHERE id = ?' },
        ctx,
      ).checks,
    ).toEqual([{ action: 'dynamodb:PartiQLSelect', resource: `${TABLE}/index/byCreatedAt` }]);
    expect(
      iamActionFor(
        'dynamodb',
        'ExecuteStatement',
        { Statement: `INSERT INTO viruses VALUE {'id': 'v1'}` },
        ctx,
      ).checks,
    ).toEqual([{ action: 'dynamodb:PartiQLInsert', resource: TABLE }]);
    expect(
      iamActionFor(
        'dynamodb',
        'ExecuteStatement',
        { Statement: `update "viruses" SET hp = 1 WHERE id = 'v1'` },
        ctx,
      ).action,
    ).toBe('dynamodb:PartiQLUpdate');
    expect(
      iamActionFor(
        'dynamodb',
        'ExecuteStatement',
        { Statement: `DELETE FROM "viruses" WHERE id = 'v1'` },
        ctx,
      ).action,
    ).toBe('dynamodb:PartiQLDelete');
  });

  it('uses "*" for calls on no table', () => {
    expect(iamActionFor('dynamodb', 'ListTables', {}, ctx)).toEqual({
      action: 'dynamodb:ListTables',
      resources: ['*'],
      checks: [{ action: 'dynamodb:ListTables', resource: '*' }],
    });
  });

  it("lets an invalid batch with no tables reach DynamoDB's own validation", () => {
    expect(iamActionFor('dynamodb', 'BatchWriteItem', {}, ctx)).toEqual({
      action: 'dynamodb:BatchWriteItem',
      resources: [],
      checks: [],
    });
  });
});

describe('iamActionFor: Lambda', () => {
  const FN = 'arn:aws:lambda:eu-west-1:123456789012:function:dojo-local-createVirus';

  it('needs lambda:InvokeFunction on the function, however it is named', () => {
    for (const name of ['dojo-local-createVirus', FN, '123456789012:function:dojo-local-createVirus']) {
      expect(iamActionFor('lambda', 'Invoke', { FunctionName: name }, ctx)).toEqual({
        action: 'lambda:InvokeFunction',
        resources: [FN],
        checks: [{ action: 'lambda:InvokeFunction', resource: FN }],
      });
    }
  });

  it('keeps a version or alias in the ARN, from the name or the Qualifier', () => {
    expect(
      iamActionFor('lambda', 'Invoke', { FunctionName: 'dojo-local-createVirus:live' }, ctx).resources,
    ).toEqual([`${FN}:live`]);
    expect(iamActionFor('lambda', 'Invoke', { FunctionName: `${FN}:3` }, ctx).resources).toEqual([`${FN}:3`]);
    expect(
      iamActionFor('lambda', 'Invoke', { FunctionName: 'dojo-local-createVirus', Qualifier: 'live' }, ctx)
        .resources,
    ).toEqual([`${FN}:live`]);
  });

  it('keeps the region and account of a full or partial ARN', () => {
    expect(
      iamActionFor(
        'lambda',
        'Invoke',
        { FunctionName: 'arn:aws:lambda:us-east-1:999999999999:function:other' },
        ctx,
      ).resources,
    ).toEqual(['arn:aws:lambda:us-east-1:999999999999:function:other']);
    expect(
      iamActionFor('lambda', 'Invoke', { FunctionName: '999999999999:function:other' }, ctx).resources,
    ).toEqual(['arn:aws:lambda:eu-west-1:999999999999:function:other']);
  });

  it('uses "*" for ListFunctions', () => {
    expect(iamActionFor('lambda', 'ListFunctions', {}, ctx).checks).toEqual([
      { action: 'lambda:ListFunctions', resource: '*' },
    ]);
  });
});

describe('iamActionFor: EventBridge', () => {
  const DEFAULT_BUS = 'arn:aws:events:eu-west-1:123456789012:event-bus/default';
  const GAME_BUS = 'arn:aws:events:eu-west-1:123456789012:event-bus/dojo-local-game';

  it('puts PutEvents on the default bus when EventBusName is missing', () => {
    expect(
      iamActionFor(
        'events',
        'PutEvents',
        { Entries: [{ Source: 'dojo', DetailType: 'Virus Spawned', Detail: '{}' }] },
        ctx,
      ),
    ).toEqual({
      action: 'events:PutEvents',
      resources: [DEFAULT_BUS],
      checks: [{ action: 'events:PutEvents', resource: DEFAULT_BUS }],
    });
  });

  it('checks each distinct bus once, by name or ARN', () => {
    const entries = [
      { EventBusName: 'dojo-local-game' },
      { EventBusName: GAME_BUS },
      {},
      { EventBusName: 'dojo-local-game' },
    ];
    expect(iamActionFor('events', 'PutEvents', { Entries: entries }, ctx).resources).toEqual([
      GAME_BUS,
      DEFAULT_BUS,
    ]);
  });

  it('names rules on the default bus and on a custom bus', () => {
    expect(iamActionFor('events', 'PutRule', { Name: 'tick' }, ctx).resources).toEqual([
      'arn:aws:events:eu-west-1:123456789012:rule/tick',
    ]);
    expect(
      iamActionFor('events', 'PutTargets', { Rule: 'spawn', EventBusName: GAME_BUS }, ctx).resources,
    ).toEqual(['arn:aws:events:eu-west-1:123456789012:rule/dojo-local-game/spawn']);
  });
});

describe('iamActionFor: Step Functions', () => {
  const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:SpawnVirus';

  it('puts StartExecution on the state machine', () => {
    expect(iamActionFor('states', 'StartExecution', { stateMachineArn: MACHINE, input: '{}' }, ctx)).toEqual({
      action: 'states:StartExecution',
      resources: [MACHINE],
      checks: [{ action: 'states:StartExecution', resource: MACHINE }],
    });
  });

  it('puts execution calls on the execution', () => {
    const execution = 'arn:aws:states:eu-west-1:123456789012:execution:SpawnVirus:run-1';
    expect(iamActionFor('states', 'DescribeExecution', { executionArn: execution }, ctx).resources).toEqual([
      execution,
    ]);
  });

  it('puts SendTaskSuccess and SendTaskFailure on "*"', () => {
    expect(iamActionFor('states', 'SendTaskSuccess', { taskToken: 't', output: '{}' }, ctx).checks).toEqual([
      { action: 'states:SendTaskSuccess', resource: '*' },
    ]);
    expect(iamActionFor('states', 'SendTaskFailure', { taskToken: 't' }, ctx).checks).toEqual([
      { action: 'states:SendTaskFailure', resource: '*' },
    ]);
  });
});

describe("iamActionFor with evaluate: what a learner's role allows", () => {
  const role: PolicyStatement[] = [
    { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:Scan'], Resource: TABLE },
    {
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Resource: 'arn:aws:events:eu-west-1:123456789012:event-bus/dojo-local-game',
    },
    { Effect: 'Allow', Action: 'states:SendTask*', Resource: '*' },
  ];
  const allowed = (service: Parameters<typeof iamActionFor>[0], op: string, input: unknown) =>
    iamActionFor(service, op, input, ctx).checks.map((c) => evaluate(role, c.action, c.resource));

  it('allows the calls the role grants and denies the others', () => {
    expect(allowed('dynamodb', 'PutItem', { TableName: 'viruses' })).toEqual(['allowed']);
    expect(allowed('dynamodb', 'Query', { TableName: 'viruses', IndexName: 'byCreatedAt' })).toEqual([
      'implicit-deny',
    ]);
    expect(allowed('events', 'PutEvents', { Entries: [{ EventBusName: 'dojo-local-game' }, {}] })).toEqual([
      'allowed',
      'implicit-deny',
    ]);
    expect(allowed('states', 'SendTaskSuccess', { taskToken: 't' })).toEqual(['allowed']);
    expect(allowed('lambda', 'Invoke', { FunctionName: 'dojo-local-createVirus' })).toEqual([
      'implicit-deny',
    ]);
  });
});

describe('iamActionFor: EventBridge Scheduler', () => {
  const SCHEDULES = 'arn:aws:scheduler:eu-west-1:123456789012:schedule';
  it('checks a schedule in its group, and passing its target role on create and update', () => {
    const role = 'arn:aws:iam::123456789012:role/scheduler';
    expect(
      iamActionFor(
        'scheduler',
        'CreateSchedule',
        { Name: 'once', GroupName: 'outbreaks', Target: { RoleArn: role } },
        ctx,
      ).checks,
    ).toEqual([
      { action: 'scheduler:CreateSchedule', resource: `${SCHEDULES}/outbreaks/once` },
      { action: 'iam:PassRole', resource: role },
    ]);
    expect(
      iamActionFor(
        'scheduler',
        'UpdateSchedule',
        { Name: 'once', Target: { RoleArn: role } },
        ctx,
      ).checks.map((c) => c.action),
    ).toEqual(['scheduler:UpdateSchedule', 'iam:PassRole']);
    expect(iamActionFor('scheduler', 'DeleteSchedule', { Name: 'once' }, ctx).resources).toEqual([
      `${SCHEDULES}/default/once`,
    ]);
  });

  it('checks groups on the group ARN, tags on the ARN given, lists on *', () => {
    expect(iamActionFor('scheduler', 'CreateScheduleGroup', { Name: 'outbreaks' }, ctx).resources).toEqual([
      'arn:aws:scheduler:eu-west-1:123456789012:schedule-group/outbreaks',
    ]);
    expect(
      iamActionFor(
        'scheduler',
        'TagResource',
        { ResourceArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule-group/g' },
        ctx,
      ).resources,
    ).toEqual(['arn:aws:scheduler:eu-west-1:123456789012:schedule-group/g']);
    expect(iamActionFor('scheduler', 'ListSchedules', {}, ctx).resources).toEqual(['*']);
  });
});
