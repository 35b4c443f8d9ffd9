import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient, DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { LocalCloud } from '../../emulator/cloud.ts';
import type { DeployedStack } from '../../emulator/stack/deploy.ts';
import { packageService, type Template } from '../../emulator/stack/package.ts';

// The mini service: a table, two functions and an HTTP API, packaged by the real osls.
const SERVICE = resolve('test/fixtures/mini-service');

describe('a service deployed from osls package', () => {
  let cloud: LocalCloud;
  let stack: DeployedStack;
  let lambda: LambdaClient;
  let ddb: DynamoDBClient;

  beforeAll(async () => {
    cloud = await LocalCloud.start();
    stack = await cloud.deployService(SERVICE);
    lambda = new LambdaClient(cloud.clientConfig());
    ddb = new DynamoDBClient(cloud.clientConfig());
  });
  afterAll(async () => {
    lambda?.destroy();
    ddb?.destroy();
    await cloud?.stop();
  });

  it('creates the table with its key schema', async () => {
    const table = stack.resources.get('VirusTable')!.physicalId;
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(Table?.TableStatus).toBe('ACTIVE');
  });

  it('lists the functions through the Lambda API', async () => {
    const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
    expect(Functions.map((f) => f.FunctionName).sort()).toEqual([
      'mini-local-createVirus',
      'mini-local-listViruses',
    ]);
    expect(
      Functions.find((f) => f.FunctionName === 'mini-local-createVirus')?.Environment?.Variables
        ?.VIRUS_TABLE_NAME,
    ).toBe(stack.resources.get('VirusTable')!.physicalId);
  });

  it('invokes a function that writes to DynamoDB, with its logs', async () => {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'mini-local-createVirus', LogType: 'Tail' }),
    );
    expect(out.FunctionError).toBeUndefined();
    const virus = JSON.parse(Buffer.from(out.Payload!).toString());
    expect(virus.id).toMatch(/^[0-9a-f-]{36}$/);
    const logs = Buffer.from(out.LogResult!, 'base64').toString();
    expect(logs).toContain(`INFO\tcreated ${virus.id}`);
    const { Items = [] } = await ddb.send(
      new ScanCommand({ TableName: stack.resources.get('VirusTable')!.physicalId }),
    );
    expect(Items.map((i) => i.id.S)).toContain(virus.id);
    // The write is traced back to the invocation that made it.
    const write = cloud.trace.find('dynamodb.write').at(-1)!;
    expect(write.function).toBe('mini-local-createVirus');
    expect(cloud.trace.get(write.cause!)?.kind).toBe('invoke.start');
  });

  it('serves the HTTP API with payload format 2.0 and CORS', async () => {
    const api = [...stack.resources.values()].find((r) => r.type === 'AWS::ApiGatewayV2::Api')!;
    const res = await fetch(`${cloud.endpoint}/_aws/execute-api/${api.physicalId}/viruses`, {
      headers: { origin: 'http://localhost:5173' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = await res.json();
    expect(Array.isArray(body.viruses)).toBe(true);
    const missing = await fetch(`${cloud.endpoint}/_aws/execute-api/${api.physicalId}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Not Found' });
  });

  it('answers browsers on the AWS APIs (CORS), as AWS does for the browser SDK', async () => {
    const preflight = await fetch(cloud.endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,x-amz-target');
    const list = await fetch(cloud.endpoint, {
      method: 'POST',
      headers: {
        origin: 'http://localhost:5173',
        'x-amz-target': 'AWSStepFunctions.ListStateMachines',
        'content-type': 'application/x-amz-json-1.0',
      },
      body: '{}',
    });
    expect(list.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers an unknown function in AWS words', async () => {
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Function not found: arn:aws:lambda:eu-west-1:123456789012:function:nope',
    });
  });

  it('denies a write the function role does not allow, with AccessDeniedException', async () => {
    const template = JSON.parse(
      readFileSync((await packageService(SERVICE)).templatePath, 'utf8'),
    ) as Template;
    const role = template.Resources.IamRoleLambdaExecution.Properties!;
    const statements = role.Policies[0].PolicyDocument.Statement as Array<{ Action: string[] }>;
    role.Policies[0].PolicyDocument.Statement = statements.filter(
      (s) => !s.Action.includes('dynamodb:PutItem'),
    );
    role.RoleName = 'mini-local-noput-role';
    for (const r of Object.values(template.Resources)) {
      if (r.Type === 'AWS::Lambda::Function')
        r.Properties!.FunctionName = `${r.Properties!.FunctionName}-noput`;
      // A second stack needs log groups of its own names, as on AWS.
      if (r.Type === 'AWS::Logs::LogGroup')
        r.Properties!.LogGroupName = `${r.Properties!.LogGroupName}-noput`;
    }
    await cloud.deployTemplate(template, { serviceDir: SERVICE, stackName: 'mini-noput' });
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'mini-local-createVirus-noput' }));
    expect(out.FunctionError).toBe('Unhandled');
    const error = JSON.parse(Buffer.from(out.Payload!).toString());
    expect(error.errorType).toBe('AccessDeniedException');
    expect(error.errorMessage).toContain(
      'is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/',
    );
  });
});

describe('STS', () => {
  it('answers GetCallerIdentity through @aws-sdk/client-sts', async () => {
    const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const cloud = await LocalCloud.start();
    const sts = new STSClient(cloud.clientConfig());
    try {
      const who = await sts.send(new GetCallerIdentityCommand({}));
      expect(who).toMatchObject({
        Account: '123456789012',
        Arn: 'arn:aws:iam::123456789012:user/dojo-local',
      });
    } finally {
      sts.destroy();
      await cloud.stop();
    }
  });
});
