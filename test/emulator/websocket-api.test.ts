/**
 * WebSocket APIs on the local cloud: the real `osls package` of
 * test/fixtures/websocket-service (`websocket` events), deployed, then used with Node's own
 * `WebSocket` client and @aws-sdk/client-apigatewaymanagementapi, as a browser and a handler
 * would on AWS (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api.html).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { resolve } from 'node:path';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { ApiGatewayV2Client, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { LocalCloud } from '../../emulator/cloud.ts';
import { IDLE_TIMEOUT_MS } from '../../emulator/apigateway/index.ts';
import { MAX_FRAME_BYTES } from '../../emulator/apigateway/websocket/frame-limit.ts';
import { WebSocket as WsClient } from 'ws';
import type { DeployedStack } from '../../emulator/stack/provider.ts';
import { connectWebSocket as connect } from '../support/websocket-client.ts';

const SERVICE = resolve('test/fixtures/websocket-service');

/** What a handler logged as its event, for the connection `id`. */
function loggedEvents(cloud: LocalCloud, fn: string) {
  return cloud.trace
    .find('log', (e) => e.function === fn)
    .map((e) => JSON.parse(e.message.slice(e.message.indexOf('{'))));
}

/** Waits (real time, up to 10 s: the virtual clock is paused) for what a sandbox does. */
async function until(check: () => boolean): Promise<void> {
  const end = performance.now() + 10_000;
  while (!check() && performance.now() < end) await new Promise((r) => setImmediate(r));
  expect(check()).toBe(true);
}

describe('a WebSocket API from osls websocket events', () => {
  let cloud: LocalCloud;
  let stack: DeployedStack;
  let apiId: string;
  let url: string;
  let management: ApiGatewayManagementApiClient;

  beforeAll(async () => {
    cloud = await LocalCloud.start();
    stack = await cloud.deployService(SERVICE);
    apiId = stack.resources.get('WebsocketsApi')!.physicalId;
    url = `${cloud.endpoint.replace('http', 'ws')}/_aws/execute-api/${apiId}/local`;
    management = new ApiGatewayManagementApiClient({
      ...cloud.clientConfig(),
      endpoint: `${cloud.endpoint}/_aws/execute-api/${apiId}/local`,
    });
  }, 120_000);
  afterAll(async () => {
    management?.destroy();
    await cloud?.stop();
  });

  it('is a WebSocket API, not an HTTP one, and says where it answers', async () => {
    expect(cloud.httpApis.list()).toEqual([]);
    expect(cloud.apiUrls()).toEqual([{ kind: 'WebSocket', name: 'local-chat-websockets', url }]);
    const v2 = new ApiGatewayV2Client(cloud.clientConfig());
    const { Items } = await v2.send(new GetApisCommand({}));
    expect(Items).toMatchObject([
      { ApiId: apiId, ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' },
    ]);
    v2.destroy();
  });

  it('runs $connect with the query string and headers; a non-2xx answer refuses the connection', async () => {
    await expect(connect(url)).rejects.toThrow(/could not connect/);
    const refused = cloud.trace.find('websocket.connect').at(-1)!;
    expect(refused.status).toBe(401);
    const c = await connect(`${url}?name=ada`);
    const [, accepted] = loggedEvents(cloud, 'chat-local-connect');
    expect(accepted).toMatchObject({
      queryStringParameters: { name: 'ada' },
      multiValueQueryStringParameters: { name: ['ada'] },
      requestContext: {
        routeKey: '$connect',
        eventType: 'CONNECT',
        stage: 'local',
        apiId,
        domainName: `${apiId}.execute-api.${cloud.region}.amazonaws.com`,
        identity: { sourceIp: '127.0.0.1' },
      },
      isBase64Encoded: false,
    });
    expect(accepted.headers['Sec-WebSocket-Version'] ?? accepted.headers['sec-websocket-version']).toBe('13');
    expect(accepted.requestContext.connectionId).toMatch(/^[A-Za-z0-9]{15}=$/);
    c.ws.close(1000, 'bye');
    expect(await c.closed).toBe(1000);
  });

  it('routes a message by its action, answers a two-way route, and sends the rest to $default', async () => {
    const c = await connect(`${url}?name=grace`);
    c.ws.send(JSON.stringify({ action: 'whoami' }));
    const answer = JSON.parse(await c.next());
    expect(answer.routeKey).toBe('whoami');
    c.ws.send('not json at all');
    c.ws.send(JSON.stringify({ action: 'nosuchroute', n: 1 }));
    await until(() => loggedEvents(cloud, 'chat-local-fallback').length === 2);
    // Each message is its own invocation, run side by side: their order is not kept, as on AWS.
    const fallback = loggedEvents(cloud, 'chat-local-fallback');
    const plain = fallback.find((e) => e.body === 'not json at all');
    const unknown = fallback.find((e) => e.body !== 'not json at all');
    expect(plain).toMatchObject({
      body: 'not json at all',
      isBase64Encoded: false,
      requestContext: {
        routeKey: '$default',
        eventType: 'MESSAGE',
        connectionId: answer.connectionId,
        apiId,
      },
    });
    expect(unknown.body).toBe('{"action":"nosuchroute","n":1}');
    const [message] = cloud.trace.find(
      'websocket.message',
      (e) => e.routeKey === 'whoami' && e.connectionId === answer.connectionId,
    );
    expect(cloud.trace.find('invoke.start', (e) => e.cause === message.seq)).toMatchObject([
      { function: 'chat-local-whoami' },
    ]);
    c.ws.close();
    await c.closed;
  });

  it("lets a handler answer through @connections at AWS's address for the API (requestContext.domainName)", async () => {
    const c = await connect(`${url}?name=ada`);
    c.ws.send(JSON.stringify({ action: 'echo', text: 'a virus appeared' }));
    expect(await c.next()).toBe('a virus appeared');
    c.ws.close();
    await c.closed;
  });

  it('posts to, describes and deletes a connection through the @connections API', async () => {
    const c = await connect(`${url}?name=linus`);
    c.ws.send(JSON.stringify({ action: 'whoami' }));
    const { connectionId } = JSON.parse(await c.next());
    await management.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'a virus appeared' }),
    );
    expect(await c.next()).toBe('a virus appeared');
    const described = await management.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    expect(described.ConnectedAt).toBeInstanceOf(Date);
    expect(described.Identity?.SourceIp).toBe('127.0.0.1');
    await expect(
      management.send(
        new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'x'.repeat(128 * 1024 + 1) }),
      ),
    ).rejects.toBeInstanceOf(PayloadTooLargeException);
    await management.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    expect(await c.closed).toBe(1005);
    await until(() =>
      loggedEvents(cloud, 'chat-local-disconnect').some(
        (e) => e.requestContext.connectionId === connectionId,
      ),
    );
    const gone = management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'late' }));
    await expect(gone).rejects.toBeInstanceOf(GoneException);
    await expect(gone).rejects.toMatchObject({ $metadata: { httpStatusCode: 410 } });
  });

  it('answers @connections calls addressed to AWS host name of the API, as a handler makes them', async () => {
    const c = await connect(`${url}?name=barbara`);
    c.ws.send(JSON.stringify({ action: 'whoami' }));
    const { connectionId } = JSON.parse(await c.next());
    const { port } = new URL(cloud.endpoint);
    const status = await new Promise<number>((ok, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/local/@connections/${encodeURIComponent(connectionId)}`,
          headers: { host: `${apiId}.execute-api.${cloud.region}.amazonaws.com` },
        },
        (res) => {
          res.resume();
          ok(res.statusCode!);
        },
      );
      req.on('error', fail);
      req.end('by host name');
    });
    expect(status).toBe(200);
    expect(await c.next()).toBe('by host name');
    c.ws.close();
    await c.closed;
  });

  it('closes a connection idle for 10 minutes of virtual time, then runs $disconnect', async () => {
    const c = await connect(`${url}?name=edsger`);
    c.ws.send(JSON.stringify({ action: 'whoami' }));
    const { connectionId } = JSON.parse(await c.next());
    await cloud.clock.advance(IDLE_TIMEOUT_MS - 1000);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    await cloud.clock.advance(2000);
    expect(await c.closed).toBe(1001);
    await until(
      () => cloud.trace.find('websocket.disconnect', (e) => e.connectionId === connectionId).length === 1,
    );
    await until(() =>
      loggedEvents(cloud, 'chat-local-disconnect').some(
        (e) => e.requestContext.connectionId === connectionId,
      ),
    );
    const event = loggedEvents(cloud, 'chat-local-disconnect').find(
      (e) => e.requestContext.connectionId === connectionId,
    );
    expect(event.requestContext).toMatchObject({
      eventType: 'DISCONNECT',
      routeKey: '$disconnect',
      disconnectStatusCode: 1001,
    });
  });

  /** `{"action":"echo","text":"xx…"}` of exactly `bytes` bytes. */
  const echoOf = (bytes: number) => {
    const empty = JSON.stringify({ action: 'echo', text: '' });
    return JSON.stringify({ action: 'echo', text: 'x'.repeat(bytes - empty.length) });
  };

  it('takes a 32 KB frame, and closes the connection with 1009 on a frame one byte over, routing nothing', async () => {
    const c = await connect(`${url}?name=alan`);
    // Node's WebSocket sends each message as one frame.
    c.ws.send(echoOf(MAX_FRAME_BYTES));
    expect((await c.next()).length).toBe(
      MAX_FRAME_BYTES - JSON.stringify({ action: 'echo', text: '' }).length,
    );
    const echoes = cloud.trace.find('invoke.start', (e) => e.function === 'chat-local-echo').length;
    c.ws.send(echoOf(MAX_FRAME_BYTES + 1));
    expect(await c.closed).toBe(1009);
    expect(cloud.trace.find('invoke.start', (e) => e.function === 'chat-local-echo').length).toBe(echoes);
  });

  /** A `ws` client, which can split a message into frames as AWS asks of messages over 32 KB. */
  async function fragmenting(): Promise<{
    socket: WsClient;
    closed: Promise<number>;
    next(): Promise<string>;
  }> {
    const socket = new WsClient(`${url}?name=alan`);
    const closed = new Promise<number>((r) => socket.once('close', (code) => r(code)));
    const received: string[] = [];
    socket.on('message', (data) => received.push(String(data)));
    await new Promise((r) => socket.once('open', r));
    return {
      socket,
      closed,
      next: async () => {
        await until(() => received.length > 0);
        return received.shift()!;
      },
    };
  }
  const sendInFrames = (socket: WsClient, text: string, frameBytes: number) => {
    for (let at = 0; at < text.length; at += frameBytes)
      socket.send(text.slice(at, at + frameBytes), { fin: at + frameBytes >= text.length });
  };

  it('takes a 100 KB message sent in 32 KB frames', async () => {
    const c = await fragmenting();
    const message = echoOf(100 * 1024);
    sendInFrames(c.socket, message, MAX_FRAME_BYTES);
    expect(await c.next()).toBe(JSON.parse(message).text);
    c.socket.close();
    await c.closed;
  });

  it('closes a connection that sends a message over 128 KB with 1009, even in 32 KB frames', async () => {
    const c = await fragmenting();
    sendInFrames(c.socket, echoOf(128 * 1024 + 1), MAX_FRAME_BYTES);
    expect(await c.closed).toBe(1009);
  });
});
