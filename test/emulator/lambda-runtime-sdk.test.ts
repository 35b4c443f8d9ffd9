import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { LocalCloud } from '../../emulator/cloud.ts';
import { checkHandlers } from '../../emulator/stack/handler-check.ts';
import { functionsTemplate } from '../support/temp-service.ts';

// A learner's project outside the kit, with no node_modules of its own: on nodejs20.x and
// later, Lambda's runtime provides the AWS SDK v3, and so does the local cloud's.
const dir = mkdtempSync(join(tmpdir(), 'runtime-sdk-'));
const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'no-deps', private: true }),
  // ESM, naming DynamoDB's public endpoint itself.
  'functions/put.mjs': `import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const ddb = new DynamoDBClient({ endpoint: 'https://dynamodb.us-east-1.amazonaws.com' });
export const main = async (event) => {
  await ddb.send(new PutItemCommand({ TableName: 'runtime-items', Item: { id: { S: event.id } } }));
  return { put: event.id };
};`,
  // CommonJS, the environment's endpoint (AWS_ENDPOINT_URL).
  'functions/get.cjs': `const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const ddb = new DynamoDBClient({});
exports.main = async (event) => {
  const out = await ddb.send(new GetItemCommand({ TableName: 'runtime-items', Key: { id: { S: event.id } } }));
  return { found: out.Item?.id?.S ?? null };
};`,
  // TypeScript, as AWS's WebSocket examples build the management API client.
  'functions/post.ts': `import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
export const main = async (event: { connectionId: string }) => {
  const client = new ApiGatewayManagementApiClient({ endpoint: 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/dev' });
  await client.send(new PostToConnectionCommand({ ConnectionId: event.connectionId, Data: Buffer.from('hello') }));
  return 'posted';
};`,
  'functions/kinesis.ts': `import { KinesisClient } from '@aws-sdk/client-kinesis';\nexport const main = async () => typeof KinesisClient;`,
  'functions/zx.ts': `import { $ } from 'zx';\nexport const main = async () => typeof $;`,
};
for (const [path, content] of Object.entries(files)) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

const template = functionsTemplate(
  {
    put: { handler: 'functions/put.main' },
    get: { handler: 'functions/get.main' },
    post: { handler: 'functions/post.main' },
    kinesis: { handler: 'functions/kinesis.main' },
    zx: { handler: 'functions/zx.main' },
  },
  [{ Effect: 'Allow', Action: ['dynamodb:*', 'execute-api:ManageConnections'], Resource: '*' }],
);
(template.Resources as Record<string, unknown>).Items = {
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    TableName: 'runtime-items',
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  },
};

describe('the Lambda runtime provides the AWS SDK v3', () => {
  let cloud: LocalCloud;
  let lambda: LambdaClient;
  const invoke = async (name: string, payload: unknown = {}) => {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: `test-local-${name}`,
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
    return { error: out.FunctionError, payload: JSON.parse(Buffer.from(out.Payload ?? []).toString()) };
  };

  beforeAll(async () => {
    cloud = await LocalCloud.start();
    await cloud.deployTemplate(template, { serviceDir: dir, stackName: 'test-local' });
    lambda = new LambdaClient(cloud.clientConfig());
  });
  afterAll(async () => {
    lambda?.destroy();
    await cloud?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads ESM and CommonJS handlers whose project has no SDK, and their calls reach the local cloud', async () => {
    expect(await invoke('put', { id: 'v1' })).toEqual({ error: undefined, payload: { put: 'v1' } });
    expect(await invoke('get', { id: 'v1' })).toEqual({ error: undefined, payload: { found: 'v1' } });
    // The item is in the local table, not on AWS.
    const ddb = new DynamoDBClient(cloud.clientConfig());
    const out = await ddb.send(new GetItemCommand({ TableName: 'runtime-items', Key: { id: { S: 'v1' } } }));
    ddb.destroy();
    expect(out.Item).toEqual({ id: { S: 'v1' } });
  });

  it('refuses an SDK client the runtime does not carry, saying which ones it does', async () => {
    const { error, payload } = await invoke('kinesis');
    expect(error).toBe('Unhandled');
    expect(payload.errorType).toBe('Runtime.ImportModuleError');
    expect(payload.errorMessage).toContain("Cannot find module '@aws-sdk/client-kinesis'");
    expect(payload.errorMessage).toContain('@aws-sdk/client-dynamodb');
    expect(payload.errorMessage).toContain('npm install @aws-sdk/client-kinesis');
  });

  it('provides only the SDK: any other package must be the project’s own, as on Lambda', async () => {
    const { payload } = await invoke('zx');
    expect(payload.errorType).toBe('Runtime.ImportModuleError');
    expect(payload.errorMessage).toContain("Cannot find module 'zx'");
  });

  it('passes the packaging check of handlers for SDK imports, and refuses the others', async () => {
    const problems = await checkHandlers(dir, [
      'functions/put.main',
      'functions/get.main',
      'functions/post.main',
      'functions/zx.main',
      'functions/kinesis.main',
    ]);
    expect(problems.map((p) => p.at?.replace(/:\d+$/, ''))).toEqual([
      'functions/kinesis.ts',
      'functions/zx.ts',
    ]);
  });
});
