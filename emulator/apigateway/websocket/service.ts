/**
 * API Gateway WebSocket APIs: connections at `ws://<gateway>/_aws/execute-api/<apiId>/<stage>`
 * (the local stand-in for `wss://<apiId>.execute-api.<region>.amazonaws.com/<stage>`), their
 * `$connect`, `$disconnect`, `$default` and custom routes (chosen by the API's
 * RouteSelectionExpression) to Lambda, route responses back to the client, and the
 * `@connections` management side (post, get, delete).
 *
 * AWS's quotas that change what a learner sees
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html#apigateway-execution-service-websocket-limits-table):
 * a connection idle for 10 minutes or open for 2 hours is closed (on the virtual clock);
 * a frame over 32 KB (frame-limit.ts) or a message over 128 KB closes the connection (1009),
 * PostToConnection over 128 KB is refused.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { VirtualClock } from '../../core/clock.ts';
import { AwsError } from '../../core/errors.ts';
import type { Trace } from '../../core/trace.ts';
import type { InvokeResult, LambdaService } from '../../lambda/service.ts';
import { shortId } from '../ids.ts';
import { connectEvent, disconnectEvent, messageEvent, type ConnectionInfo } from './events.ts';
import { watchFrameSizes } from './frame-limit.ts';

export const IDLE_TIMEOUT_MS = 10 * 60_000;
export const MAX_CONNECTION_MS = 2 * 60 * 60_000;
export const MAX_MESSAGE_BYTES = 128 * 1024;

export interface WsRoute {
  routeId: string;
  routeKey: string;
  /** `integrations/<id>`. */
  target?: string;
  /** Set when the route answers the client with what its integration returns. */
  routeResponseSelectionExpression?: string;
}

export interface WsApi {
  apiId: string;
  name: string;
  routeSelectionExpression: string;
  routes: Map<string, WsRoute>;
  integrations: Map<string, { integrationId: string; integrationUri: string; functionName?: string }>;
  /** Route ids that have a route response (two-way routes). */
  routeResponses: Map<string, string>;
  stages: Set<string>;
}

interface Connection extends ConnectionInfo {
  socket: WebSocket;
  lastActiveAt: number;
  idle?: unknown;
  max?: unknown;
  closing: boolean;
}

const PREFIX = '/_aws/execute-api/';

export class WebSocketApis {
  private readonly apis = new Map<string, WsApi>();
  private readonly connections = new Map<string, Connection>();
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  constructor(
    private readonly deps: {
      lambda: LambdaService;
      trace: Trace;
      clock: VirtualClock;
      region: string;
    },
  ) {}

  addApi(apiId: string, name: string, routeSelectionExpression: string): void {
    this.apis.set(apiId, {
      apiId,
      name,
      routeSelectionExpression,
      routes: new Map(),
      integrations: new Map(),
      routeResponses: new Map(),
      stages: new Set(),
    });
  }

  updateApi(apiId: string, name: string, routeSelectionExpression: string): void {
    const api = this.api(apiId);
    api.name = name;
    api.routeSelectionExpression = routeSelectionExpression;
  }

  deleteApi(apiId: string): void {
    for (const c of [...this.connections.values()]) if (c.apiId === apiId) this.close(c, 1001, 'Going away');
    this.apis.delete(apiId);
  }

  has(apiId: string): boolean {
    return this.apis.has(apiId);
  }

  list(): WsApi[] {
    return [...this.apis.values()];
  }

  putIntegration(apiId: string, integrationId: string, integrationUri: string): string | undefined {
    const functionName = /function:([^:/]+)/.exec(integrationUri)?.[1];
    this.api(apiId).integrations.set(integrationId, { integrationId, integrationUri, functionName });
    return functionName;
  }

  deleteIntegration(apiId: string, integrationId: string): void {
    this.apis.get(apiId)?.integrations.delete(integrationId);
  }

  putRoute(apiId: string, route: WsRoute): void {
    this.api(apiId).routes.set(route.routeId, route);
  }

  deleteRoute(apiId: string, routeId: string): void {
    this.apis.get(apiId)?.routes.delete(routeId);
  }

  putRouteResponse(apiId: string, routeResponseId: string, routeId: string): void {
    this.api(apiId).routeResponses.set(routeResponseId, routeId);
  }

  deleteRouteResponse(apiId: string, routeResponseId: string): void {
    this.apis.get(apiId)?.routeResponses.delete(routeResponseId);
  }

  putStage(apiId: string, stage: string): void {
    this.api(apiId).stages.add(stage);
  }

  deleteStage(apiId: string, stage: string): void {
    const api = this.apis.get(apiId);
    if (!api) return;
    api.stages.delete(stage);
    for (const c of [...this.connections.values()])
      if (c.apiId === apiId && c.stage === stage) this.close(c, 1001, 'Going away');
  }

  /** The Lambda a route's target names, if any. */
  functionOf(apiId: string, route: WsRoute | undefined): string | undefined {
    const id = route?.target?.replace(/^integrations\//, '');
    return id === undefined ? undefined : this.apis.get(apiId)?.integrations.get(id)?.functionName;
  }

  /** Whether a path is a stage of one of these APIs: `/_aws/execute-api/<apiId>/<stage>`. */
  isStagePath(path: string): boolean {
    const [apiId, stage, ...rest] = path.slice(PREFIX.length).split('/');
    return (
      path.startsWith(PREFIX) && rest.every((s) => s === '') && !!this.apis.get(apiId)?.stages.has(stage)
    );
  }

  /** A handshake: `$connect` decides (non-2xx or a failed function refuses it), then the socket opens. */
  async upgrade(req: IncomingMessage, socket: Socket, head: Buffer, path: string): Promise<void> {
    const [apiId, stage] = path.slice(PREFIX.length).split('/');
    const api = this.api(apiId);
    const now = this.deps.clock.now();
    const info: ConnectionInfo = {
      apiId,
      stage,
      connectionId: connectionId(),
      domainName: `${apiId}.execute-api.${this.deps.region}.amazonaws.com`,
      connectedAt: now,
      sourceIp: socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      userAgent: req.headers['user-agent'],
    };
    const route = routeByKey(api, '$connect');
    const fn = this.functionOf(apiId, route);
    let status = 200;
    if (fn) {
      const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
      const result = await this.deps.lambda.invoke(fn, connectEvent(info, req.rawHeaders, query, now), {
        source: `$connect ${info.connectionId}`,
      });
      status = connectStatus(result);
    }
    this.deps.trace.record({
      kind: 'websocket.connect',
      apiId,
      stage,
      connectionId: info.connectionId,
      status,
    });
    if (status < 200 || status > 299) {
      // AWS refuses the handshake with the status the $connect integration gave.
      const reason = status === 500 ? 'Internal Server Error' : 'Forbidden';
      const body = JSON.stringify({ message: reason, connectionId: info.connectionId });
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      return;
    }
    // The client gave up while $connect ran: there is nothing to open.
    if (socket.destroyed) return;
    this.server.handleUpgrade(req, socket, head, (ws) => this.opened(ws, info, socket));
  }

  private opened(socket: WebSocket, info: ConnectionInfo, raw: Socket): void {
    const c: Connection = { ...info, socket, lastActiveAt: this.deps.clock.now(), closing: false };
    watchFrameSizes(raw, () => this.close(c, 1009));
    this.connections.set(c.connectionId, c);
    this.touch(c);
    c.max = this.deps.clock.setTimeout(() => this.close(c, 1001, 'Going away'), MAX_CONNECTION_MS);
    socket.on('message', (data: RawData, binary: boolean) => void this.message(c, toBuffer(data), binary));
    socket.on('close', (code: number, reason: Buffer) => {
      const why =
        reason.toString('utf8') ||
        (code === 1009
          ? 'Message too big'
          : c.closing
            ? 'Connection was closed by the server'
            : 'Client-side close frame status not set');
      void this.disconnected(c, code, why);
    });
    socket.on('error', () => undefined);
  }

  private touch(c: Connection): void {
    c.lastActiveAt = this.deps.clock.now();
    if (c.idle !== undefined) this.deps.clock.clearTimeout(c.idle);
    c.idle = this.deps.clock.setTimeout(() => this.close(c, 1001, 'Going away'), IDLE_TIMEOUT_MS);
  }

  private async message(c: Connection, data: Buffer, binary: boolean): Promise<void> {
    // A connection the server is closing (a frame too big) routes nothing more.
    if (c.closing) return;
    this.touch(c);
    const api = this.apis.get(c.apiId);
    if (!api) return;
    const route = selectRoute(api, data, binary);
    const traced = this.deps.trace.record({
      kind: 'websocket.message',
      apiId: c.apiId,
      connectionId: c.connectionId,
      routeKey: route?.routeKey ?? '',
      bytes: data.length,
    });
    const fn = this.functionOf(c.apiId, route);
    if (!route || !fn) {
      // AWS's answer to a message no route takes.
      c.socket.send(
        JSON.stringify({ message: 'Forbidden', connectionId: c.connectionId, requestId: shortId(16) }),
      );
      return;
    }
    const result = await this.deps.lambda.invoke(
      fn,
      messageEvent(c, route.routeKey, data, binary, this.deps.clock.now()),
      { cause: traced.seq, source: `${route.routeKey} ${c.connectionId}` },
    );
    const twoWay = [...api.routeResponses.values()].includes(route.routeId);
    if (!result.ok) {
      c.socket.send(
        JSON.stringify({
          message: 'Internal server error',
          connectionId: c.connectionId,
          requestId: result.requestId,
        }),
      );
      return;
    }
    if (twoWay && c.socket.readyState === c.socket.OPEN) {
      const body = responseBody(result.payload);
      if (body !== undefined) c.socket.send(body);
    }
  }

  private async disconnected(c: Connection, code: number, reason: string): Promise<void> {
    if (this.connections.get(c.connectionId) !== c) return;
    this.connections.delete(c.connectionId);
    if (c.idle !== undefined) this.deps.clock.clearTimeout(c.idle);
    if (c.max !== undefined) this.deps.clock.clearTimeout(c.max);
    const traced = this.deps.trace.record({
      kind: 'websocket.disconnect',
      apiId: c.apiId,
      connectionId: c.connectionId,
      reason,
    });
    const api = this.apis.get(c.apiId);
    const fn = api && this.functionOf(c.apiId, routeByKey(api, '$disconnect'));
    // $disconnect is best effort on AWS too: its result cannot reach a closed connection.
    if (fn)
      await this.deps.lambda
        .invoke(fn, disconnectEvent(c, code, reason, this.deps.clock.now()), {
          cause: traced.seq,
          source: `$disconnect ${c.connectionId}`,
        })
        .catch(() => undefined);
  }

  /** Closes from the server's side; without a code the close frame has no status (1005 to the client). */
  private close(c: Connection, code?: number, reason?: string): void {
    if (c.closing) return;
    c.closing = true;
    if (code === undefined) c.socket.close();
    else c.socket.close(code, reason);
  }

  /** PostToConnection: `data` to the client, as a text frame (binary when it is not UTF-8). */
  post(apiId: string, stage: string, connectionId: string, data: Buffer): void {
    const c = this.live(apiId, stage, connectionId);
    if (data.length > MAX_MESSAGE_BYTES)
      throw new AwsError(
        'PayloadTooLargeException',
        `Message too long. Max message size is ${MAX_MESSAGE_BYTES / 1024} KB.`,
        413,
      );
    this.deps.trace.record({ kind: 'websocket.send', apiId, connectionId, bytes: data.length });
    const text = data.toString('utf8');
    c.socket.send(Buffer.from(text, 'utf8').equals(data) ? text : data);
    this.touch(c);
  }

  /** GetConnection. */
  describe(apiId: string, stage: string, connectionId: string) {
    const c = this.live(apiId, stage, connectionId);
    return {
      connectedAt: new Date(c.connectedAt).toISOString(),
      identity: { sourceIp: c.sourceIp, userAgent: c.userAgent },
      lastActiveAt: new Date(c.lastActiveAt).toISOString(),
    };
  }

  /** DeleteConnection: the server closes it (a close frame with no status), then `$disconnect` runs. */
  disconnect(apiId: string, stage: string, connectionId: string): void {
    this.close(this.live(apiId, stage, connectionId));
  }

  /** Closes every connection (the local cloud stopping). */
  dispose(): void {
    for (const c of this.connections.values()) c.socket.terminate();
    this.connections.clear();
    this.server.close();
  }

  private live(apiId: string, stage: string, connectionId: string): Connection {
    const c = this.connections.get(connectionId);
    if (!c || c.apiId !== apiId || c.stage !== stage || c.closing)
      throw new AwsError('GoneException', '', 410);
    return c;
  }

  private api(apiId: string): WsApi {
    const api = this.apis.get(apiId);
    if (!api) throw new Error(`WebSocket API ${apiId} does not exist.`);
    return api;
  }
}

function routeByKey(api: WsApi, routeKey: string): WsRoute | undefined {
  return [...api.routes.values()].find((r) => r.routeKey === routeKey);
}

/**
 * The route a message takes: the value its RouteSelectionExpression
 * (`$request.body.action`, `$request.body.meta.type`) gives, if a route has that key, else
 * `$default`. A message that is not JSON goes to `$default`.
 */
export function selectRoute(api: WsApi, data: Buffer, binary: boolean): WsRoute | undefined {
  const path = /^\$request\.body\.(.+)$/.exec(api.routeSelectionExpression)?.[1];
  let key: unknown;
  if (path && !binary) {
    try {
      key = path
        .split('.')
        .reduce<unknown>(
          (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
          JSON.parse(data.toString('utf8')),
        );
    } catch {
      key = undefined;
    }
  }
  const custom = typeof key === 'string' && !key.startsWith('$') ? routeByKey(api, key) : undefined;
  return custom ?? routeByKey(api, '$default');
}

/** `$connect`'s verdict: a failed function is 500, a non-2xx statusCode refuses, anything else accepts. */
function connectStatus(result: InvokeResult): number {
  if (!result.ok) return 500;
  const p = result.payload as { statusCode?: unknown } | null;
  const status = p && typeof p === 'object' ? Number(p.statusCode) : NaN;
  return Number.isInteger(status) ? status : 200;
}

/** What a two-way route sends back: the proxy result's body, or the result itself. */
function responseBody(payload: unknown): string | undefined {
  if (payload === undefined || payload === null) return undefined;
  if (typeof payload === 'object' && 'statusCode' in payload) {
    const body = (payload as { body?: unknown }).body;
    return body === undefined || body === null
      ? undefined
      : typeof body === 'string'
        ? body
        : JSON.stringify(body);
  }
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

function toBuffer(data: RawData): Buffer {
  return Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** AWS's connection ids: 16 characters ending in `=`, like `L0SM9cOFvHcCIhw=`. */
function connectionId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return `${[...crypto.getRandomValues(new Uint8Array(15))].map((b) => alphabet[b % alphabet.length]).join('')}=`;
}
