/**
 * When session 3's observation may stop waiting on the local cloud, shown on a WebSocket API
 * and streamed tables from a template (the shapes osls writes for `websocket` and `stream`
 * events), with Node's own WebSocket client as the board: a close is over when its
 * $disconnect run has ended (at once when there is no such route); writes are over when the
 * stream's runs have ended and what they posted has arrived, or when the same records failed
 * twice. Each case also asks the predicate at the moments it must still say "not yet", so an
 * answer that comes too early fails here, and one that never comes times out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { LocalCloud, realSleep, type TraceEntry } from '../../../emulator/index.ts';
import { functionsTemplate, tempService, waitFor } from '../../../test/support/temp-service.ts';
import { PushSettled } from './push-settled.ts';
import { connectWebSocket } from '../../../test/support/websocket-client.ts';

const service = tempService({
  'functions/board.ts': `
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
const ddb = new DynamoDBClient({});
const TableName = process.env.CONNECTIONS!;
type Ws = { requestContext: { connectionId: string } };
type Records = { Records: Array<{ dynamodb: { NewImage?: { id: { S: string }; bad?: { BOOL: boolean } } } }> };
const key = (e: Ws) => ({ connectionId: { S: e.requestContext.connectionId } });
export const connect = async (e: Ws) => {
  await ddb.send(new PutItemCommand({ TableName, Item: key(e) }));
  return { statusCode: 200 };
};
// Slow on purpose: a close must not count as over before this delete has landed.
export const disconnect = async (e: Ws) => {
  await new Promise((r) => setTimeout(r, 300));
  await ddb.send(new DeleteItemCommand({ TableName, Key: key(e) }));
  return { statusCode: 200 };
};
// Forgets await: the run ends with its delete still in flight.
export const sloppyDisconnect = async (e: Ws) => {
  void ddb.send(new DeleteItemCommand({ TableName, Key: key(e) }));
  return { statusCode: 200 };
};
const posts = () => new ApiGatewayManagementApiClient({ endpoint: process.env.WEBSOCKET_ENDPOINT });
export const push = async (event: Records) => {
  const { Items = [] } = await ddb.send(new ScanCommand({ TableName }));
  for (const r of event.Records) {
    const image = r.dynamodb.NewImage;
    if (!image) continue;
    if (image.bad) throw new Error('a virus this handler cannot push');
    await Promise.all(Items.map(async (item) => {
      try {
        await posts().send(new PostToConnectionCommand({ ConnectionId: item.connectionId.S, Data: image.id.S }));
      } catch (error) {
        if (!(error instanceof GoneException)) throw error;
        await ddb.send(new DeleteItemCommand({ TableName, Key: { connectionId: item.connectionId } }));
      }
    }));
  }
};
// Forgets await: the run ends with its posts still in flight.
export const careless = async (event: Records) => {
  const { Items = [] } = await ddb.send(new ScanCommand({ TableName }));
  for (const item of Items)
    void posts().send(new PostToConnectionCommand({ ConnectionId: item.connectionId.S, Data: 'careless' }));
};
`,
});

/** The grace given here to calls left in flight: shorter than the checker's, for a quick test. */
const GRACE_MS = 300;

const functionArn = (fn: string) => ({
  'Fn::GetAtt': [`${fn[0].toUpperCase()}${fn.slice(1)}LambdaFunction`, 'Arn'],
});

/** A WebSocket API as osls writes it: a Lambda integration and a route per key, and a `local` stage. */
function webSocketApi(name: string, routes: Record<string, string>) {
  const resources: Record<string, unknown> = {
    [name]: {
      Type: 'AWS::ApiGatewayV2::Api',
      Properties: { Name: name, ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' },
    },
    [`${name}Stage`]: {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: { ApiId: { Ref: name }, StageName: 'local' },
    },
  };
  for (const [routeKey, fn] of Object.entries(routes)) {
    const id = `${name}${fn}`;
    resources[`${id}Integration`] = {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: {
        ApiId: { Ref: name },
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: {
          'Fn::Join': [
            '',
            [
              'arn:aws:apigateway:',
              { Ref: 'AWS::Region' },
              ':lambda:path/2015-03-31/functions/',
              functionArn(fn),
              '/invocations',
            ],
          ],
        },
      },
    };
    resources[`${id}Route`] = {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: {
        ApiId: { Ref: name },
        RouteKey: routeKey,
        Target: { 'Fn::Join': ['/', ['integrations', { Ref: `${id}Integration` }]] },
      },
    };
  }
  return resources;
}

/** A table keyed by `id` whose stream invokes `fn`, as a `stream` event makes it. */
function streamedTable(name: string, fn: string, windowSeconds?: number) {
  return {
    [name]: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      },
    },
    [`${name}Mapping`]: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: { 'Fn::GetAtt': [name, 'StreamArn'] },
        FunctionName: functionArn(fn),
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 10,
        ...(windowSeconds ? { MaximumBatchingWindowInSeconds: windowSeconds } : {}),
      },
    },
  };
}

describe("the local cloud's word that session 3's observation may stop waiting", () => {
  let cloud: LocalCloud;
  let ddb: DynamoDBClient;
  let boardUrl: string;
  let bareUrl: string;
  let sloppyUrl: string;

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: Date.UTC(2026, 10, 21, 10, 0, 0) });
    ddb = new DynamoDBClient(cloud.clientConfig());
    const board = (handler: string) => ({
      handler: `functions/board.${handler}`,
      env: {
        CONNECTIONS: { Ref: 'Connections' },
        WEBSOCKET_ENDPOINT: {
          'Fn::Join': [
            '',
            ['https://', { Ref: 'Board' }, '.execute-api.', { Ref: 'AWS::Region' }, '.amazonaws.com/local'],
          ],
        },
      },
    });
    const template = functionsTemplate(
      {
        connect: board('connect'),
        disconnect: board('disconnect'),
        sloppyDisconnect: board('sloppyDisconnect'),
        push: board('push'),
        careless: board('careless'),
      },
      [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    );
    Object.assign(template.Resources, {
      Connections: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: 'Connections',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'connectionId', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
        },
      },
      ...webSocketApi('Board', { $connect: 'connect', $disconnect: 'disconnect' }),
      // No $disconnect route: a close runs nothing.
      ...webSocketApi('Bare', { $connect: 'connect' }),
      ...webSocketApi('Sloppy', { $connect: 'connect', $disconnect: 'sloppyDisconnect' }),
      ...streamedTable('Viruses', 'push'),
      ...streamedTable('Doomed', 'push'),
      ...streamedTable('Careless', 'careless'),
      ...streamedTable('Gathered', 'push', 2),
    });
    const stack = await cloud.deployTemplate(template, { serviceDir: service.dir, stackName: 'test-local' });
    const url = (api: string) =>
      `${cloud.endpoint.replace('http', 'ws')}/_aws/execute-api/${stack.resources.get(api)!.physicalId}/local`;
    boardUrl = url('Board');
    bareUrl = url('Bare');
    sloppyUrl = url('Sloppy');
  }, 60_000);
  afterAll(async () => {
    ddb?.destroy();
    await cloud?.stop();
    service.remove();
  });

  const settledFor = (
    table: string,
    options: { disconnectRuns?: boolean; batchWindowMs?: number; unawaitedGraceMs?: number } = {},
  ) =>
    new PushSettled(cloud.trace, {
      ...options,
      table,
      batchWindowMs: options.batchWindowMs ?? 0,
      disconnectRuns: options.disconnectRuns ?? true,
      now: () => cloud.clock.now(),
      fromSeq: cloud.trace.all().at(-1)?.seq ?? 0,
    });
  /** The predicate's answer at each entry `at` picks that the trace records from now on. */
  const answersAt = (at: (entry: TraceEntry) => boolean, answer: () => boolean) => {
    const answers: Array<{ entry: TraceEntry; settled: boolean }> = [];
    const stop = cloud.trace.subscribe((entry) => {
      if (at(entry)) answers.push({ entry, settled: answer() });
    });
    return { answers, stop };
  };
  /** The virtual clock moving in small steps, as the observation moves it, until `done`. */
  const runUntil = async (done: () => boolean, what: string) => {
    const end = performance.now() + 20_000;
    while (!done()) {
      if (performance.now() > end) throw new Error(`no answer in 20 s: ${what}`);
      await cloud.clock.advance(250);
      await realSleep(20);
    }
  };
  const connections = async () =>
    ((await ddb.send(new ScanCommand({ TableName: 'Connections' }))).Items ?? []).map(
      (i) => i.connectionId.S,
    );
  const put = (TableName: string, id: string, bad?: boolean) =>
    ddb.send(
      new PutItemCommand({ TableName, Item: { id: { S: id }, ...(bad ? { bad: { BOOL: true } } : {}) } }),
    );

  it('calls a close over once the run of $disconnect it caused has ended, its delete landed', async () => {
    const settled = settledFor('Viruses');
    const board = await connectWebSocket(boardUrl);
    expect(await connections()).toHaveLength(1);
    const from = settled.mark();
    const seen = answersAt(
      (e) =>
        e.kind === 'websocket.disconnect' ||
        (e.kind.startsWith('invoke.') && 'function' in e && e.function === 'test-local-disconnect'),
      () => settled.closed(from),
    );
    await board.close();
    await runUntil(() => settled.closed(from), 'the close');
    seen.stop();
    expect(await connections()).toEqual([]);
    // Not yet when the close is traced, nor when $disconnect starts (300 ms of work ahead): over when it ends.
    expect(seen.answers.map((a) => [a.entry.kind, a.settled])).toEqual([
      ['websocket.disconnect', false],
      ['invoke.start', false],
      ['invoke.end', true],
    ]);
  });

  it('calls a close over as soon as it is traced when the API has no $disconnect route', async () => {
    const settled = settledFor('Viruses', { disconnectRuns: false });
    const board = await connectWebSocket(bareUrl);
    const from = settled.mark();
    expect(settled.closed(from)).toBe(false);
    const seen = answersAt(
      (e) => e.kind === 'websocket.disconnect',
      () => settled.closed(from),
    );
    await board.close();
    await waitFor(() => seen.answers.length === 1, 'the close to be traced');
    seen.stop();
    expect(seen.answers[0].settled).toBe(true);
  });

  it('gives the delete a $disconnect run left in flight its grace before calling the close over', async () => {
    const settled = settledFor('Viruses', { unawaitedGraceMs: GRACE_MS });
    const board = await connectWebSocket(sloppyUrl);
    const from = settled.mark();
    await board.close();
    const ended = () => cloud.trace.find('invoke.end', (e) => e.seq > from).length > 0;
    await runUntil(ended, 'the run of sloppyDisconnect');
    expect(cloud.trace.find('invoke.unawaited', (e) => e.seq > from)).not.toEqual([]);
    expect(settled.closed(from)).toBe(false);
    const ranAt = performance.now();
    await runUntil(() => settled.closed(from), 'the grace');
    expect(performance.now() - ranAt).toBeGreaterThanOrEqual(GRACE_MS);
    const [closed] = cloud.trace.find('websocket.disconnect', (e) => e.seq > from);
    expect(await connections()).not.toContain(closed.connectionId);
  });

  it("calls writes over once the stream's run has ended and what it posted has reached the board", async () => {
    const settled = settledFor('Viruses');
    const board = await connectWebSocket(boardUrl);
    const from = settled.mark();
    await put('Viruses', 'v1');
    // The poller took the record before the write answered: its batch is in flight (a cold start).
    expect(cloud.trace.find('esm.batch', (e) => e.seq > from)).toHaveLength(1);
    expect(settled.writes(from, board.messages.length)).toBe(false);
    await runUntil(() => settled.writes(from, board.messages.length), 'the push of v1');
    expect(board.messages).toEqual(['v1']);
    // One message posted: over only once the board has it.
    expect(settled.writes(from, 0)).toBe(false);
    await board.close();
  });

  it('waits for the retry of a failed batch, and calls it over when the same records fail again', async () => {
    const settled = settledFor('Doomed');
    const board = await connectWebSocket(boardUrl);
    const from = settled.mark();
    const ofDoomed = (e: TraceEntry) => {
      const batch = e.kind === 'esm.result' && e.cause !== undefined ? cloud.trace.get(e.cause) : undefined;
      return batch?.kind === 'esm.batch' && batch.eventSourceArn.includes(':table/Doomed/');
    };
    const seen = answersAt(ofDoomed, () => settled.writes(from, board.messages.length));
    await put('Doomed', 'd1', true);
    await runUntil(() => settled.writes(from, board.messages.length), 'the failed batch');
    seen.stop();
    expect(seen.answers.map((a) => [(a.entry as TraceEntry<'esm.result'>).ok, a.settled])).toEqual([
      [false, false],
      [false, true],
    ]);
    await board.close();
  });

  it("does not call writes over before the mapping's batching window has let its batch go", async () => {
    const settled = settledFor('Gathered', { batchWindowMs: 2000 });
    const board = await connectWebSocket(boardUrl);
    const from = settled.mark();
    await put('Gathered', 'g1');
    const batched = () => cloud.trace.find('esm.batch', (e) => e.seq > from).length > 0;
    const early: number[] = [];
    await runUntil(() => {
      const over = settled.writes(from, board.messages.length);
      if (over && !batched()) early.push(cloud.clock.now());
      return over;
    }, 'the gathered batch');
    expect(early).toEqual([]);
    expect(board.messages).toEqual(['g1']);
    await board.close();
  });

  it('gives the posts a run left in flight their grace before calling the writes over', async () => {
    const settled = settledFor('Careless', { unawaitedGraceMs: GRACE_MS });
    const board = await connectWebSocket(boardUrl);
    const from = settled.mark();
    await put('Careless', 'c1');
    await runUntil(
      () => board.messages.length > 0 && cloud.trace.find('esm.result', (e) => e.seq > from).length > 0,
      'the careless push',
    );
    expect(cloud.trace.find('invoke.unawaited', (e) => e.seq > from)).not.toEqual([]);
    expect(settled.writes(from, board.messages.length)).toBe(false);
    const ranAt = performance.now();
    await runUntil(() => settled.writes(from, board.messages.length), 'the grace');
    expect(performance.now() - ranAt).toBeGreaterThanOrEqual(GRACE_MS);
    await board.close();
  });
});
