/**
 * API Gateway HTTP APIs (v2): routes like `GET /viruses` and `DELETE /viruses/{id}` to a
 * Lambda with payload format 2.0, and CORS as configured on the API. An API answers at
 * `<gateway>/_aws/execute-api/<apiId>/<path>` (the local stand-in for
 * `https://<apiId>.execute-api.<region>.amazonaws.com/<path>`).
 */
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Trace } from '../core/trace.ts';
import { send, sendJson, type GatewayRequest } from '../gateway/server.ts';
import type { LambdaService } from '../lambda/service.ts';
import { formatRequestTime } from './request-time.ts';

export interface HttpApiCors {
  AllowOrigins?: string[];
  AllowMethods?: string[];
  AllowHeaders?: string[];
  ExposeHeaders?: string[];
  AllowCredentials?: boolean;
  MaxAge?: number;
}

export interface HttpRoute {
  routeId: string;
  routeKey: string;
  method: string;
  pathPattern: string;
  /** `integrations/<integrationId>`, as in the template; absent for a route with no target. */
  target?: string;
}

export interface HttpIntegration {
  integrationId: string;
  integrationUri: string;
  /** The Lambda function the URI names; undefined for integrations the local cloud cannot run. */
  functionName?: string;
}

interface HttpApi {
  name: string;
  cors?: HttpApiCors;
  routes: Map<string, HttpRoute>;
  integrations: Map<string, HttpIntegration>;
}

export const EXECUTE_API_PREFIX = '/_aws/execute-api/';

export class HttpApis {
  private readonly apis = new Map<string, HttpApi>();

  constructor(
    private readonly deps: { lambda: LambdaService; trace: Trace; region: string; accountId: string },
  ) {}

  addApi(apiId: string, name: string, cors?: HttpApiCors): void {
    this.apis.set(apiId, { name, cors, routes: new Map(), integrations: new Map() });
  }

  /** A new name or CORS configuration; routes and integrations stay. */
  updateApi(apiId: string, update: { name: string; cors?: HttpApiCors }): void {
    const api = this.api(apiId);
    api.name = update.name;
    api.cors = update.cors;
  }

  deleteApi(apiId: string): void {
    this.apis.delete(apiId);
  }

  /** Adds or changes an integration; a Lambda one names its function in the URI. */
  putIntegration(apiId: string, integrationId: string, integrationUri: string): HttpIntegration {
    const functionName = /function:([^:/]+)/.exec(integrationUri)?.[1];
    const integration = { integrationId, integrationUri, functionName };
    this.api(apiId).integrations.set(integrationId, integration);
    return integration;
  }

  deleteIntegration(apiId: string, integrationId: string): void {
    this.apis.get(apiId)?.integrations.delete(integrationId);
  }

  /** Adds or changes a route (`GET /viruses`, `$default`) and its target (`integrations/<id>`). */
  putRoute(apiId: string, routeId: string, routeKey: string, target?: string): HttpRoute {
    const api = this.api(apiId);
    const [method, pathPattern = ''] = routeKey === '$default' ? ['ANY', '$default'] : routeKey.split(' ');
    const route = { routeId, routeKey, method: method.toUpperCase(), pathPattern, target };
    api.routes.set(routeId, route);
    return route;
  }

  deleteRoute(apiId: string, routeId: string): void {
    this.apis.get(apiId)?.routes.delete(routeId);
  }

  /** The Lambda integration a route's target names, if the local cloud knows it. */
  integrationOf(apiId: string, route: Pick<HttpRoute, 'target'>): HttpIntegration | undefined {
    const id = route.target?.replace(/^integrations\//, '');
    return id === undefined ? undefined : this.apis.get(apiId)?.integrations.get(id);
  }

  list(): Array<{
    apiId: string;
    name: string;
    routes: HttpRoute[];
    integrations: HttpIntegration[];
    cors?: HttpApiCors;
  }> {
    return [...this.apis.entries()].map(([apiId, a]) => ({
      apiId,
      name: a.name,
      cors: a.cors,
      routes: [...a.routes.values()],
      integrations: [...a.integrations.values()],
    }));
  }

  clear(): void {
    this.apis.clear();
  }

  isRequest(req: GatewayRequest): boolean {
    return req.path.startsWith(EXECUTE_API_PREFIX);
  }

  private api(apiId: string): HttpApi {
    const api = this.apis.get(apiId);
    if (!api) throw new Error(`HTTP API ${apiId} does not exist.`);
    return api;
  }

  async handle(req: GatewayRequest, res: ServerResponse): Promise<void> {
    const rest = req.path.slice(EXECUTE_API_PREFIX.length);
    const slash = rest.indexOf('/');
    const apiId = slash === -1 ? rest : rest.slice(0, slash);
    const path = slash === -1 ? '/' : rest.slice(slash);
    const api = this.apis.get(apiId);
    if (!api) {
      sendJson(res, 404, { message: 'Not Found' });
      return;
    }
    const origin = req.headers.origin;
    const corsHeaders = corsFor(api.cors, origin);
    if (req.method === 'OPTIONS' && api.cors && req.headers['access-control-request-method']) {
      // API Gateway answers CORS preflights itself when CORS is configured.
      send(res, 204, 'text/plain', '', preflightHeaders(api.cors, origin));
      return;
    }
    const match = matchRoute([...api.routes.values()], req.method, path);
    const start = this.deps.trace.record({
      kind: 'http.request',
      apiId,
      method: req.method,
      path,
      routeKey: match?.route.routeKey,
    });
    const functionName = match && this.integrationOf(apiId, match.route)?.functionName;
    if (!match || !functionName) {
      this.deps.trace.record({ kind: 'http.response', cause: start.seq, status: 404 });
      sendJson(res, 404, { message: 'Not Found' }, corsHeaders);
      return;
    }
    const event = this.event(apiId, req, path, match.route.routeKey, match.params);
    const result = await this.deps.lambda.invoke(functionName, event, {
      cause: start.seq,
      source: `${req.method} ${path}`,
    });
    const out = result.ok
      ? toHttpResponse(result.payload)
      : {
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: 'Internal Server Error' }),
        };
    this.deps.trace.record({
      kind: 'http.response',
      cause: start.seq,
      status: out.status,
      requestId: result.requestId,
    });
    send(res, out.status, out.headers['content-type'] ?? 'application/json', out.body, {
      ...out.headers,
      ...corsHeaders,
      apigw_requestid: randomUUID(),
    });
  }

  private event(
    apiId: string,
    req: GatewayRequest,
    path: string,
    routeKey: string,
    pathParameters: Record<string, string>,
  ) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const query: Record<string, string> = {};
    for (const [k, v] of req.query) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
    const now = new Date();
    const text = req.body.toString('utf8');
    const binary = req.body.length > 0 && Buffer.from(text, 'utf8').length !== req.body.length;
    return {
      version: '2.0',
      routeKey,
      rawPath: path,
      rawQueryString: req.query.toString(),
      cookies: headers.cookie ? headers.cookie.split(/;\s*/) : undefined,
      headers,
      queryStringParameters: Object.keys(query).length ? query : undefined,
      pathParameters: Object.keys(pathParameters).length ? pathParameters : undefined,
      requestContext: {
        accountId: this.deps.accountId,
        apiId,
        domainName: `${apiId}.execute-api.${this.deps.region}.amazonaws.com`,
        domainPrefix: apiId,
        http: {
          method: req.method,
          path,
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: formatRequestTime(now),
        timeEpoch: now.getTime(),
      },
      body: req.body.length ? (binary ? req.body.toString('base64') : text) : undefined,
      isBase64Encoded: binary,
    };
  }
}

function matchRoute(
  routes: HttpRoute[],
  method: string,
  path: string,
): { route: HttpRoute; params: Record<string, string> } | undefined {
  const candidates: Array<{ route: HttpRoute; params: Record<string, string>; score: number }> = [];
  for (const route of routes) {
    if (route.method !== 'ANY' && route.method !== method) continue;
    if (route.pathPattern === '$default') {
      candidates.push({ route, params: {}, score: -1 });
      continue;
    }
    const params = matchPath(route.pathPattern, path);
    if (params) {
      // API Gateway prefers the most specific route: literal segments, then a method over ANY.
      const literal = route.pathPattern.split('/').filter((s) => s && !s.startsWith('{')).length;
      candidates.push({ route, params, score: literal * 10 + (route.method === 'ANY' ? 0 : 1) });
    }
  }
  candidates.sort((a, b) => b.score - a.score);
  return candidates[0];
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const greedy = /^\{(.+)\+\}$/.exec(w);
    if (greedy) {
      if (i >= got.length) return undefined;
      params[greedy[1]] = got.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    if (i >= got.length) return undefined;
    const param = /^\{(.+)\}$/.exec(w);
    if (param) params[param[1]] = decodeURIComponent(got[i]);
    else if (w !== got[i]) return undefined;
  }
  return got.length === want.length ? params : undefined;
}

/** Payload format 2.0: a result without `statusCode` is JSON with status 200. */
function toHttpResponse(payload: unknown): { status: number; headers: Record<string, string>; body: string } {
  if (payload && typeof payload === 'object' && 'statusCode' in payload) {
    const p = payload as {
      statusCode: number;
      headers?: Record<string, string>;
      body?: unknown;
      isBase64Encoded?: boolean;
    };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(p.headers ?? {})) headers[k.toLowerCase()] = String(v);
    const body =
      p.body === undefined || p.body === null
        ? ''
        : typeof p.body === 'string'
          ? p.body
          : JSON.stringify(p.body);
    return {
      status: Number(p.statusCode) || 200,
      headers: { 'content-type': 'application/json', ...headers },
      body: p.isBase64Encoded ? Buffer.from(body, 'base64').toString('latin1') : body,
    };
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload ?? null),
  };
}

function originAllowed(cors: HttpApiCors, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  const allowed = cors.AllowOrigins ?? [];
  if (allowed.includes('*')) return '*';
  return allowed.includes(origin) ? origin : undefined;
}

function corsFor(cors: HttpApiCors | undefined, origin: string | undefined): Record<string, string> {
  if (!cors) return {};
  const allow = originAllowed(cors, origin);
  if (!allow) return {};
  const h: Record<string, string> = { 'access-control-allow-origin': allow };
  if (cors.ExposeHeaders?.length) h['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
  if (cors.AllowCredentials) h['access-control-allow-credentials'] = 'true';
  return h;
}

function preflightHeaders(cors: HttpApiCors, origin: string | undefined): Record<string, string> {
  const h = corsFor(cors, origin);
  if (!h['access-control-allow-origin']) return {};
  h['access-control-allow-methods'] = (cors.AllowMethods ?? ['*']).join(',');
  h['access-control-allow-headers'] = (cors.AllowHeaders ?? ['*']).join(',');
  if (cors.MaxAge !== undefined) h['access-control-max-age'] = String(cors.MaxAge);
  return h;
}
