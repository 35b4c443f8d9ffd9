import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { LocalCloud } from '../../emulator/cloud.ts';
import { functionsTemplate, tempService } from '../support/temp-service.ts';

// Handlers that fire and forget, written as a learner would. The line of each forgotten
// call is the one the warning must name (line 1 is the first line of the file).
const DDB = `import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient, DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';\nconst ddb = new DynamoDBClient({});\nconst doc = DynamoDBDocumentClient.from(ddb);\n`;
const service = tempService({
  'functions/createVirus.ts': `${DDB}export const main = async (event: { id: string }) => {\n  ddb.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { id: { S: event.id } } }));\n  return { id: event.id };\n};\n`,
  'functions/killVirus.ts': `${DDB}export const main = async (event: { id: string }) => {\n  doc.send(new DeleteCommand({ TableName: process.env.TABLE, Key: { id: event.id } }));\n  return { statusCode: 204 };\n};\n`,
  'functions/spreadVirus.ts': `import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';\nconst eb = new EventBridgeClient({});\nexport const main = async () => {\n  const entries = [{ Source: 'dojo', DetailType: 'VIRUS_CREATION_REQUESTED', Detail: '{}' }];\n  eb.send(new PutEventsCommand({ Entries: entries }));\n  return { requested: 1 };\n};\n`,
  'functions/awaits.ts': `${DDB}export const main = async (event: { id: string }) => {\n  await doc.send(new PutCommand({ TableName: process.env.TABLE, Item: { id: event.id } }));\n  return { id: event.id };\n};\n`,
  'functions/timerAndFetch.ts': `export const main = async () => {\n  setTimeout(() => console.log('later'), 5_000);\n  fetch(process.env.SLOW_URL!).catch(() => undefined);\n  void new Promise((r) => setTimeout(r, 60_000));\n  return 'done';\n};\n`,
  'functions/allOrNothing.ts': `${DDB}export const main = async (event: { id: string }) => {\n  await Promise.all([\n    doc.send(new PutCommand({ TableName: process.env.TABLE, Item: { id: event.id } })),\n    Promise.reject(new Error('the other call failed')),\n  ]);\n};\n`,
  'functions/callback.ts': `${DDB}export const main = (event: { id: string }, context: { callbackWaitsForEmptyEventLoop: boolean }, callback: (e: unknown, v?: unknown) => void) => {\n  context.callbackWaitsForEmptyEventLoop = event.id !== 'no-wait';\n  ddb.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { id: { S: event.id } } }));\n  callback(null, { id: event.id });\n};\n`,
});

describe('the Lambda runtime tells when a handler returns before its AWS calls finish', () => {
  let cloud: LocalCloud;
  let lambda: LambdaClient;
  let ddb: DynamoDBClient;
  let slow: Server;
  const TABLE = 'viruses';

  const invoke = async (name: string, payload: unknown = {}) => {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: `test-local-${name}`,
        Payload: Buffer.from(JSON.stringify(payload)),
        LogType: 'Tail',
      }),
    );
    const logs = Buffer.from(out.LogResult ?? '', 'base64').toString();
    return { error: out.FunctionError, logs, requestId: /START RequestId: (\S+)/.exec(logs)?.[1] };
  };
  const warnings = (requestId: string | undefined) =>
    cloud.trace.find('invoke.unawaited', (e) => e.requestId === requestId);

  beforeAll(async () => {
    // A non-AWS server that answers after a (real) second: a fetch to it is left in flight.
    slow = createServer((_req, res) => void setTimeout(() => res.end('late'), 1000));
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
    cloud = await LocalCloud.start({ enforceIam: false });
    ddb = new DynamoDBClient(cloud.clientConfig());
    await ddb.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    const env = { TABLE, SLOW_URL: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/` };
    const fns = [
      'createVirus',
      'killVirus',
      'spreadVirus',
      'awaits',
      'timerAndFetch',
      'callback',
      'allOrNothing',
    ];
    await cloud.deployTemplate(
      functionsTemplate(Object.fromEntries(fns.map((f) => [f, { handler: `functions/${f}.main`, env }]))),
      { serviceDir: service.dir, stackName: 'test-local' },
    );
    lambda = new LambdaClient(cloud.clientConfig());
  });
  afterAll(async () => {
    lambda?.destroy();
    ddb?.destroy();
    await cloud?.stop();
    slow?.closeAllConnections();
    slow?.close();
    service.remove();
  });

  it.each([
    ['createVirus', 'DynamoDB', 'PutItem', 6],
    ['killVirus', 'DynamoDB', 'DeleteItem', 6],
    ['spreadVirus', 'EventBridge', 'PutEvents', 5],
  ])('names %s, its %s %s and the line of the call', async (fn, service, operation, line) => {
    const { error, logs, requestId } = await invoke(fn, { id: `v-${fn}` });
    expect(error).toBeUndefined();
    const message = `${fn} returned while its ${service} ${operation} was still in flight: on AWS it may never run. Did you forget await at functions/${fn}.ts:${line}?`;
    expect(warnings(requestId)).toEqual([
      expect.objectContaining({
        kind: 'invoke.unawaited',
        function: `test-local-${fn}`,
        handlerName: fn,
        service,
        operation,
        file: `functions/${fn}.ts`,
        line,
        message,
      }),
    ]);
    expect(logs).toContain(`${requestId}\tWARN\t${message}`);
  });

  it('tells a handler that failed inside a Promise.all of the call the rejection left running', async () => {
    const { error, requestId } = await invoke('allOrNothing', { id: 'v-all' });
    expect(error).toBe('Unhandled');
    expect(warnings(requestId).map((w) => w.message)).toEqual([
      "allOrNothing failed while its DynamoDB PutItem was still in flight: on AWS it may never run. Did you forget await at functions/allOrNothing.ts:7? Or, if it is awaited, it ran in a Promise.all that another call's rejection ended first: catch each call's error inside it, or use Promise.allSettled.",
    ]);
  });

  it('lets the forgotten call finish locally (the warning is what tells)', async () => {
    await invoke('createVirus', { id: 'v-late' });
    const deadline = performance.now() + 5000;
    let item;
    while (!item && performance.now() < deadline)
      item = (await ddb.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'v-late' } } }))).Item;
    expect(item).toBeDefined();
  });

  it('says nothing of a handler that awaits its calls', async () => {
    const { error, logs, requestId } = await invoke('awaits', { id: 'v-awaited' });
    expect(error).toBeUndefined();
    expect(warnings(requestId)).toEqual([]);
    expect(logs).not.toContain('WARN');
  });

  it('says nothing of a forgotten timer or a fetch to a server that is not the local cloud', async () => {
    const { error, logs, requestId } = await invoke('timerAndFetch');
    expect(error).toBeUndefined();
    expect(warnings(requestId)).toEqual([]);
    expect(logs).not.toContain('in flight');
  });

  it('waits for the calls of a callback handler, as Lambda waits for an empty event loop', async () => {
    const { requestId } = await invoke('callback', { id: 'v-callback' });
    expect(warnings(requestId)).toEqual([]);
    // Already written when Invoke answers: the response waited for the call.
    expect(
      (await ddb.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'v-callback' } } }))).Item,
    ).toBeDefined();
  });

  it('warns a callback handler that set callbackWaitsForEmptyEventLoop to false', async () => {
    const { requestId } = await invoke('callback', { id: 'no-wait' });
    expect(warnings(requestId).map((e) => e.message)).toEqual([
      'callback returned while its DynamoDB PutItem was still in flight: on AWS it may never run. Did you forget await at functions/callback.ts:7?',
    ]);
  });
});
