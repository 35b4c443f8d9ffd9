import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiGatewayV2Client, GetApisCommand, GetRoutesCommand } from '@aws-sdk/client-apigatewayv2';
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import {
  DescribeExecutionCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { describeChanges, LocalCloud, StackDeployError, type Template } from '../../emulator/index.ts';
import { tempService, waitFor } from '../support/temp-service.ts';

/**
 * A redeploy is a CloudFormation stack update: each supported resource type is kept,
 * changed and removed across redeploys of one stack, and everything is asserted through the
 * AWS SDK. Templates are deployed directly (as osls would produce them), so each step is fast.
 */
const STACK = 'redeploy-local';
const SLOW_V1 = `export const main = async () => { await new Promise((r) => setTimeout(r, 60_000)); return { code: 'old', version: process.env.VERSION }; };`;
const SLOW_V2 = `export const main = async () => ({ code: 'new', version: process.env.VERSION });`;

const service = tempService({
  'functions/echo.ts': `export const main = async () => ({ version: process.env.VERSION });`,
  'functions/sink.ts': `export const main = async (event: unknown) => event;`,
  'functions/slow.ts': SLOW_V1,
  'functions/writer.ts': `import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const ddb = new DynamoDBClient({});
export const main = async (event: { id: string }) => {
  await ddb.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { id: { S: event.id } } }));
  return 'written';
};`,
});

interface Version {
  /** Environment VERSION of the functions. */
  version: string;
  /** Whether the writer's role may PutItem on the kept table. */
  writerMayPut: boolean;
  /** Key attribute of the table without a name (a new key schema replaces it). */
  rekeyed: 'id' | 'pk';
  /** The changed table gets a global secondary index (UpdateTable keeps its items). */
  withIndex: boolean;
  /** The table, function and schedule the first version has and the second drops. */
  withDropped: boolean;
  routeKey: string;
  apiName: string;
  pattern: string;
  stateResult: string;
}

const V1: Version = {
  version: '1',
  writerMayPut: true,
  rekeyed: 'id',
  withIndex: false,
  withDropped: true,
  routeKey: 'GET /echo',
  apiName: 'redeploy-api',
  pattern: 'game.v1',
  stateResult: 'v1',
};
const V2: Version = {
  version: '2',
  writerMayPut: false,
  rekeyed: 'pk',
  withIndex: true,
  withDropped: false,
  routeKey: 'GET /echo2',
  apiName: 'redeploy-api-renamed',
  pattern: 'game.v2',
  stateResult: 'v2',
};

const fn = (name: string, handler: string, env: Record<string, unknown>, timeout = 3) => ({
  Type: 'AWS::Lambda::Function',
  Properties: {
    FunctionName: `${STACK}-${name}`,
    Handler: handler,
    Runtime: 'nodejs22.x',
    Timeout: timeout,
    Environment: { Variables: env },
    Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
  },
});
const table = (key: string, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  },
});

function template(v: Version): Template {
  const Resources: Record<string, any> = {
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: `${STACK}-role`,
        Policies: [
          {
            PolicyName: 'p',
            PolicyDocument: {
              Statement: v.writerMayPut
                ? [
                    {
                      Effect: 'Allow',
                      Action: 'dynamodb:PutItem',
                      Resource: { 'Fn::GetAtt': ['KeptTable', 'Arn'] },
                    },
                  ]
                : [],
            },
          },
        ],
      },
    },
    KeptTable: table('id', { TableName: `${STACK}-kept` }),
    ChangedTable: table('id', {
      TableName: `${STACK}-changed`,
      ...(v.withIndex && {
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'color', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byColor',
            KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    }),
    RekeyedTable: table(v.rekeyed),
    Echo: fn('echo', 'functions/echo.main', { VERSION: v.version }),
    Sink: fn('sink', 'functions/sink.main', {}),
    Slow: fn('slow', 'functions/slow.main', { VERSION: v.version }, 120),
    Writer: fn('writer', 'functions/writer.main', { TABLE: { Ref: 'KeptTable' } }),
    HttpApi: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: v.apiName, ProtocolType: 'HTTP' } },
    HttpApiStage: {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: { ApiId: { Ref: 'HttpApi' }, StageName: '$default', AutoDeploy: true },
    },
    EchoIntegration: {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: {
        ApiId: { Ref: 'HttpApi' },
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: { 'Fn::GetAtt': ['Echo', 'Arn'] },
        PayloadFormatVersion: '2.0',
      },
    },
    EchoRoute: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: {
        ApiId: { Ref: 'HttpApi' },
        RouteKey: v.routeKey,
        Target: { 'Fn::Join': ['/', ['integrations', { Ref: 'EchoIntegration' }]] },
      },
    },
    Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: `${STACK}-bus` } },
    KeptRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: 'kept-rule',
        EventBusName: { Ref: 'Bus' },
        EventPattern: { source: ['game.kept'] },
        Targets: [{ Id: 'sink', Arn: { 'Fn::GetAtt': ['Sink', 'Arn'] } }],
      },
    },
    ChangedRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: 'changed-rule',
        EventBusName: { Ref: 'Bus' },
        EventPattern: { source: [v.pattern] },
        Targets: [{ Id: 'sink', Arn: { 'Fn::GetAtt': ['Sink', 'Arn'] } }],
      },
    },
    Machine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: `${STACK}-machine`,
        RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
        DefinitionString: JSON.stringify({
          StartAt: 'Answer',
          States: { Answer: { Type: 'Pass', Result: v.stateResult, End: true } },
        }),
      },
    },
  };
  if (v.withDropped) {
    Resources.DroppedTable = table('id', { TableName: `${STACK}-dropped` });
    Resources.Dropped = fn('dropped', 'functions/echo.main', {});
    Resources.ScheduleRule = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: 'every-minute',
        ScheduleExpression: 'rate(1 minute)',
        Targets: [{ Id: 'sink', Arn: { 'Fn::GetAtt': ['Sink', 'Arn'] } }],
      },
    };
  }
  return { Resources } as Template;
}

describe('a redeploy updates the stack like CloudFormation', () => {
  let cloud: LocalCloud;
  let ddb: DynamoDBClient;
  let lambda: LambdaClient;
  let apis: ApiGatewayV2Client;
  let events: EventBridgeClient;
  let sfn: SFNClient;
  const deploy = (v: Version) =>
    cloud.deployTemplate(template(v), { serviceDir: service.dir, stackName: STACK });
  const invoke = async (name: string, payload: unknown = {}) => {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: `${STACK}-${name}`, Payload: Buffer.from(JSON.stringify(payload)) }),
    );
    return {
      error: out.FunctionError,
      payload: JSON.parse(Buffer.from(out.Payload ?? []).toString() || 'null'),
    };
  };
  const tables = async () => (await ddb.send(new ListTablesCommand({}))).TableNames ?? [];
  const sinkRuns = () => cloud.trace.find('invoke.start', (e) => e.function === `${STACK}-sink`).length;

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2030, 0, 1, 12, 0, 30) });
    ddb = new DynamoDBClient(cloud.clientConfig());
    lambda = new LambdaClient(cloud.clientConfig());
    apis = new ApiGatewayV2Client(cloud.clientConfig());
    events = new EventBridgeClient(cloud.clientConfig());
    sfn = new SFNClient(cloud.clientConfig());
    const first = await deploy(V1);
    expect(new Set(first.changes.map((c) => c.action))).toEqual(new Set(['create']));
  });
  afterAll(async () => {
    for (const c of [ddb, lambda, apis, events, sfn]) c?.destroy();
    await cloud?.stop();
    service.remove();
  });

  it('keeps what did not change, untouched, and creates nothing twice', async () => {
    await ddb.send(new PutItemCommand({ TableName: `${STACK}-kept`, Item: { id: { S: 'survivor' } } }));
    const again = await deploy(V1);
    expect(again.changes.every((c) => c.action === 'keep')).toBe(true);
    expect(
      (await ddb.send(new GetItemCommand({ TableName: `${STACK}-kept`, Key: { id: { S: 'survivor' } } })))
        .Item,
    ).toBeDefined();
    expect((await apis.send(new GetApisCommand({}))).Items).toHaveLength(1);
  });

  it('changes, replaces and removes resources of every supported type on the second version', async () => {
    const rekeyedBefore = (await tables()).find((t) => t.includes('RekeyedTable'));
    await ddb.send(
      new PutItemCommand({
        TableName: `${STACK}-changed`,
        Item: { id: { S: 'v1-item' }, color: { S: 'red' } },
      }),
    );
    expect((await invoke('writer', { id: 'allowed' })).payload).toBe('written');

    const stack = await deploy(V2);
    const action = (id: string) => stack.changes.find((c) => c.logicalId === id)?.action;
    expect(action('KeptTable')).toBe('keep');
    expect(action('Sink')).toBe('keep');
    expect(action('KeptRule')).toBe('keep');
    expect(action('ChangedTable')).toBe('update');
    expect(action('Echo')).toBe('update');
    expect(action('Role')).toBe('update');
    expect(action('HttpApi')).toBe('update');
    expect(action('EchoRoute')).toBe('update');
    expect(action('ChangedRule')).toBe('update');
    expect(action('Machine')).toBe('update');
    expect(action('RekeyedTable')).toBe('replace');
    expect(action('DroppedTable')).toBe('delete');
    expect(action('Dropped')).toBe('delete');
    expect(action('ScheduleRule')).toBe('delete');
    expect(describeChanges(stack.changes)).toBe('8 updated, 1 replaced, 3 deleted, 7 kept');

    // DynamoDB: the kept table keeps its items, the changed one gets its index and keeps its
    // items, the rekeyed one is a new table, the dropped one is gone.
    const names = await tables();
    expect(names).toContain(`${STACK}-kept`);
    expect(names).not.toContain(`${STACK}-dropped`);
    expect(names).not.toContain(rekeyedBefore);
    const rekeyed = names.find((t) => t.includes('RekeyedTable'))!;
    expect((await ddb.send(new DescribeTableCommand({ TableName: rekeyed }))).Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
    ]);
    const changed = (await ddb.send(new DescribeTableCommand({ TableName: `${STACK}-changed` }))).Table!;
    expect(changed.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byColor']);
    expect(
      (await ddb.send(new GetItemCommand({ TableName: `${STACK}-changed`, Key: { id: { S: 'v1-item' } } })))
        .Item?.color,
    ).toEqual({ S: 'red' });
    expect(
      (await ddb.send(new GetItemCommand({ TableName: `${STACK}-kept`, Key: { id: { S: 'survivor' } } })))
        .Item,
    ).toBeDefined();

    // Lambda: new configuration in place; the dropped function is gone.
    expect(
      (await lambda.send(new GetFunctionCommand({ FunctionName: `${STACK}-echo` }))).Configuration
        ?.Environment?.Variables,
    ).toEqual({ VERSION: '2' });
    expect((await invoke('echo')).payload).toEqual({ version: '2' });
    const functions = ((await lambda.send(new ListFunctionsCommand({}))).Functions ?? []).map(
      (f) => f.FunctionName,
    );
    expect(functions).not.toContain(`${STACK}-dropped`);
    await expect(
      lambda.send(new GetFunctionCommand({ FunctionName: `${STACK}-dropped` })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    // IAM: the role's new policy is the one the gateway checks.
    expect((await invoke('writer', { id: 'denied' })).payload).toMatchObject({
      errorType: 'AccessDeniedException',
    });

    // HTTP API: one API, renamed, with its route changed in place.
    const items = (await apis.send(new GetApisCommand({}))).Items ?? [];
    expect(items.map((a) => a.Name)).toEqual(['redeploy-api-renamed']);
    expect(
      ((await apis.send(new GetRoutesCommand({ ApiId: items[0].ApiId }))).Items ?? []).map((r) => r.RouteKey),
    ).toEqual(['GET /echo2']);
    expect((await fetch(`${items[0].ApiEndpoint}/echo2`)).status).toBe(200);
    expect((await fetch(`${items[0].ApiEndpoint}/echo`)).status).toBe(404);

    // Step Functions: one state machine, and the next execution runs the new definition.
    expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines).toHaveLength(1);
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: stack.resources.get('Machine')!.physicalId }),
    );
    await cloud.clock.advance(1000);
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      status: 'SUCCEEDED',
      output: '"v2"',
    });
  });

  it('stops a removed rule: its schedule no longer fires, and a changed pattern matches the new events only', async () => {
    expect(((await events.send(new ListRulesCommand({}))).Rules ?? []).map((r) => r.Name)).not.toContain(
      'every-minute',
    );
    const fired = cloud.trace.find('schedule.fire', (e) => e.rule === 'every-minute').length;
    const before = sinkRuns();
    await cloud.clock.advance(5 * 60_000);
    expect(cloud.trace.find('schedule.fire', (e) => e.rule === 'every-minute')).toHaveLength(fired);
    expect(sinkRuns()).toBe(before);

    const bus = `${STACK}-bus`;
    expect(
      (
        (await events.send(new ListTargetsByRuleCommand({ Rule: 'changed-rule', EventBusName: bus })))
          .Targets ?? []
      ).map((t) => t.Id),
    ).toEqual(['sink']);
    await events.send(
      new PutEventsCommand({
        Entries: ['game.v1', 'game.v2', 'game.kept'].map((Source) => ({
          Source,
          DetailType: 't',
          Detail: '{}',
          EventBusName: bus,
        })),
      }),
    );
    const matched = cloud.trace
      .find('rule.match')
      .slice(-2)
      .map((e) => `${e.rule}`);
    expect(matched.sort()).toEqual(['changed-rule', 'kept-rule']);
    await waitFor(() => sinkRuns() === before + 2, 'two sink invocations');
  });

  it('lets an invocation in flight finish on the old code, and runs the next one on the new code', async () => {
    await deploy({ ...V2, version: '2' });
    const inFlight = invoke('slow');
    await waitFor(
      () => cloud.trace.find('invoke.start', (e) => e.function === `${STACK}-slow`).length > 0,
      'the slow invocation to start',
    );
    service.write('functions/slow.ts', SLOW_V2);
    const stack = await deploy({ ...V2, version: '3' });
    expect(stack.changes.find((c) => c.logicalId === 'Slow')?.action).toBe('update');
    await cloud.clock.advance(61_000);
    const old = await inFlight;
    expect(old.error, JSON.stringify(old.payload)).toBeUndefined();
    expect(old.payload).toEqual({ code: 'old', version: '2' });
    expect((await invoke('slow')).payload).toEqual({ code: 'new', version: '3' });
  });

  it('rolls back a failed update and names the resource that failed', async () => {
    const bad = template({ ...V2, version: '4' });
    // Created and updated before the failure, all undone by the rollback.
    bad.Resources.LateTable = table('id', { TableName: `${STACK}-late` });
    bad.Resources.BadRule = {
      Type: 'AWS::Events::Rule',
      DependsOn: ['LateTable', 'Echo'],
      Properties: { Name: 'bad', EventPattern: { source: 'not-an-array' }, Targets: [] },
    } as any;
    const failure = await cloud
      .deployTemplate(bad, { serviceDir: service.dir, stackName: STACK })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StackDeployError);
    expect((failure as Error).message).toMatch(
      /^Resource BadRule \(AWS::Events::Rule\): .*\nStack redeploy-local was rolled back: it is as the previous deploy left it/s,
    );
    expect(await tables()).not.toContain(`${STACK}-late`);
    expect((await invoke('echo')).payload).toEqual({ version: '3' });
    expect(cloud.stacks.get(STACK)!.resources.has('LateTable')).toBe(false);
  });

  it('refuses to replace a table whose name the template fixes, as CloudFormation does', async () => {
    const rekeyNamed = template(V2);
    rekeyNamed.Resources.KeptTable = table('pk', { TableName: `${STACK}-kept` });
    await expect(
      cloud.deployTemplate(rekeyNamed, { serviceDir: service.dir, stackName: STACK }),
    ).rejects.toThrow(
      `Resource KeptTable (AWS::DynamoDB::Table): CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${STACK}-kept and update the stack again.`,
    );
    expect(
      (await ddb.send(new GetItemCommand({ TableName: `${STACK}-kept`, Key: { id: { S: 'survivor' } } })))
        .Item,
    ).toBeDefined();
  });

  it('deletes every resource of a deleted stack', async () => {
    expect(await cloud.deleteStack(STACK)).toBe(true);
    expect((await tables()).filter((t) => t.startsWith(STACK))).toEqual([]);
    expect(
      ((await lambda.send(new ListFunctionsCommand({}))).Functions ?? []).filter((f) =>
        f.FunctionName?.startsWith(STACK),
      ),
    ).toEqual([]);
    expect((await apis.send(new GetApisCommand({}))).Items).toEqual([]);
    expect((await events.send(new ListRulesCommand({}))).Rules).toEqual([]);
    expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
    expect(cloud.stacks.has(STACK)).toBe(false);
    expect(await cloud.deleteStack(STACK)).toBe(false);
  });
});

describe('moving on from session 3 to session 4 (osls packaging, one stack)', () => {
  let cloud: LocalCloud;
  let ddb: DynamoDBClient;
  let events: EventBridgeClient;
  let apis: ApiGatewayV2Client;

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2030, 0, 1, 9, 0, 0) });
    ddb = new DynamoDBClient(cloud.clientConfig());
    events = new EventBridgeClient(cloud.clientConfig());
    apis = new ApiGatewayV2Client(cloud.clientConfig());
  });
  afterAll(async () => {
    for (const c of [ddb, events, apis]) c?.destroy();
    await cloud?.stop();
  });

  it("drops session 3's schedule, keeps the table with its viruses, and leaves one HTTP API", async () => {
    const three = await cloud.deployService('solutions/session-3');
    const tableName = three.resources.get('VirusTable')!.physicalId;
    await ddb.send(new PutItemCommand({ TableName: tableName, Item: { id: { S: 'from-session-3' } } }));

    const four = await cloud.deployService('solutions/session-4');
    expect(four.name).toBe(three.name);
    expect(four.resources.get('VirusTable')!.physicalId).toBe(tableName);
    expect(
      (await ddb.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: 'from-session-3' } } })))
        .Item,
    ).toBeDefined();
    expect((await apis.send(new GetApisCommand({}))).Items).toHaveLength(1);

    const rulesOfFour = [...four.resources.values()]
      .filter((r) => r.type === 'AWS::Events::Rule')
      .map((r) => r.physicalId);
    const onDefault = ((await events.send(new ListRulesCommand({}))).Rules ?? []).map((r) => r.Name!);
    expect(onDefault.length).toBeGreaterThan(0);
    for (const name of onDefault) expect(rulesOfFour).toContain(name);

    const since = cloud.trace.all().at(-1)!.seq;
    await cloud.clock.advance(3 * 60_000);
    const fired = cloud.trace.since(since).filter((e) => e.kind === 'schedule.fire');
    expect(fired).toHaveLength(3);
    for (const e of fired) expect(rulesOfFour).toContain(e.rule);
  });
});
