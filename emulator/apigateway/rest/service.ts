/**
 * API Gateway REST APIs (v1): a tree of resources (`/viruses`, `/viruses/{id}`,
 * `/files/{proxy+}`), methods on them with a Lambda proxy or MOCK integration, deployments
 * and stages. A stage answers at `<gateway>/_aws/execute-api/<restApiId>/<stage>/<path>`,
 * the local stand-in for `https://<restApiId>.execute-api.<region>.amazonaws.com/<stage>/<path>`.
 *
 * A stage serves the API as it stands, not a snapshot taken by its deployment: osls makes a
 * new Deployment whenever the API changes, so on a deploy both come to the same thing.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Trace } from '../../core/trace.ts';
import { send, sendJson, type GatewayRequest } from '../../gateway/server.ts';
import type { LambdaService } from '../../lambda/service.ts';
import { shortId } from '../ids.ts';
import { proxyEvent, proxyResponse } from './proxy.ts';

export interface RestApiSettings {
  name: string;
  description?: string;
  binaryMediaTypes: string[];
  endpointTypes: string[];
}

export interface RestResource {
  id: string;
  parentId?: string;
  pathPart?: string;
  /** The full path: `/`, `/viruses`, `/viruses/{id}`. */
  path: string;
}

export interface IntegrationResponse {
  statusCode: string;
  selectionPattern?: string;
  /** `method.response.header.X` → `'static value'`, as the template writes it. */
  responseParameters: Record<string, string>;
  responseTemplates: Record<string, string>;
}

export interface RestIntegration {
  type: string;
  uri?: string;
  httpMethod?: string;
  /** The Lambda function an AWS_PROXY integration names. */
  functionName?: string;
  requestTemplates: Record<string, string>;
  integrationResponses: IntegrationResponse[];
}

export interface RestMethod {
  resourceId: string;
  httpMethod: string;
  authorizationType: string;
  apiKeyRequired: boolean;
  integration?: RestIntegration;
}

export interface RestStage {
  stageName: string;
  deploymentId: string;
  description?: string;
  variables: Record<string, string>;
  createdDate: number;
  lastUpdatedDate: number;
}

export interface RestApi extends RestApiSettings {
  id: string;
  rootResourceId: string;
  createdDate: number;
  resources: Map<string, RestResource>;
  /** By `<resourceId> <HTTPMETHOD>`. */
  methods: Map<string, RestMethod>;
  deployments: Map<string, { id: string; description?: string; createdDate: number }>;
  stages: Map<string, RestStage>;
}

const PREFIX = '/_aws/execute-api/';

export class RestApis {
  private readonly apis = new Map<string, RestApi>();

  constructor(
    private readonly deps: {
      lambda: LambdaService;
      trace: Trace;
      region: string;
      accountId: string;
      now(): number;
    },
  ) {}

  createApi(settings: RestApiSettings): RestApi {
    const id = shortId(10);
    const rootResourceId = shortId(10);
    const api: RestApi = {
      ...settings,
      id,
      rootResourceId,
      createdDate: this.deps.now(),
      resources: new Map([[rootResourceId, { id: rootResourceId, path: '/' }]]),
      methods: new Map(),
      deployments: new Map(),
      stages: new Map(),
    };
    this.apis.set(id, api);
    return api;
  }

  updateApi(id: string, settings: RestApiSettings): void {
    Object.assign(this.api(id), settings);
  }

  deleteApi(id: string): void {
    this.apis.delete(id);
  }

  has(id: string): boolean {
    return this.apis.has(id);
  }

  get(id: string): RestApi | undefined {
    return this.apis.get(id);
  }

  list(): RestApi[] {
    return [...this.apis.values()];
  }

  /** Adds a resource under `parentId`, or moves/renames the one with `id`. */
  putResource(apiId: string, parentId: string, pathPart: string, id = shortId(6)): RestResource {
    const api = this.api(apiId);
    const parent = api.resources.get(parentId);
    if (!parent)
      throw new Error(`Invalid Resource identifier specified: parent ${parentId} is not in API ${apiId}.`);
    const sibling = [...api.resources.values()].find(
      (r) => r.parentId === parentId && r.pathPart === pathPart && r.id !== id,
    );
    if (sibling) throw new Error(`Another resource with the same parent already has this name: ${pathPart}`);
    if (pathPart.includes('/'))
      throw new Error(
        `Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace: ${pathPart}`,
      );
    const resource: RestResource = {
      id,
      parentId,
      pathPart,
      path: `${parent.path === '/' ? '' : parent.path}/${pathPart}`,
    };
    api.resources.set(id, resource);
    return resource;
  }

  deleteResource(apiId: string, id: string): void {
    const api = this.apis.get(apiId);
    if (!api) return;
    // Deleting a resource deletes what hangs under it and the methods on them, as AWS does.
    for (const child of [...api.resources.values()].filter((r) => r.parentId === id))
      this.deleteResource(apiId, child.id);
    api.resources.delete(id);
    for (const [key, m] of api.methods) if (m.resourceId === id) api.methods.delete(key);
  }

  putMethod(apiId: string, method: RestMethod): void {
    const api = this.api(apiId);
    if (!api.resources.has(method.resourceId))
      throw new Error(`Invalid Resource identifier specified: ${method.resourceId} is not in API ${apiId}.`);
    api.methods.set(`${method.resourceId} ${method.httpMethod}`, method);
  }

  deleteMethod(apiId: string, resourceId: string, httpMethod: string): void {
    this.apis.get(apiId)?.methods.delete(`${resourceId} ${httpMethod}`);
  }

  createDeployment(apiId: string, description?: string): string {
    const id = shortId(6);
    this.api(apiId).deployments.set(id, { id, description, createdDate: this.deps.now() });
    return id;
  }

  deleteDeployment(apiId: string, id: string): void {
    this.apis.get(apiId)?.deployments.delete(id);
  }

  /** Creates or changes a stage; `create` refuses one that exists, as CreateStage does. */
  putStage(
    apiId: string,
    stage: {
      stageName: string;
      deploymentId: string;
      description?: string;
      variables?: Record<string, string>;
    },
    create: boolean,
  ): void {
    const api = this.api(apiId);
    const before = api.stages.get(stage.stageName);
    if (create && before) throw new Error(`Stage already exists: ${stage.stageName}`);
    if (!api.deployments.has(stage.deploymentId))
      throw new Error(`Invalid deployment identifier specified: ${stage.deploymentId}`);
    const now = this.deps.now();
    api.stages.set(stage.stageName, {
      stageName: stage.stageName,
      deploymentId: stage.deploymentId,
      description: stage.description,
      variables: stage.variables ?? {},
      createdDate: before?.createdDate ?? now,
      lastUpdatedDate: now,
    });
  }

  deleteStage(apiId: string, stageName: string): void {
    this.apis.get(apiId)?.stages.delete(stageName);
  }

  clear(): void {
    this.apis.clear();
  }

  /** Whether a request under the execute-api prefix is for one of these APIs. */
  isRequest(req: GatewayRequest): boolean {
    if (!req.path.startsWith(PREFIX)) return false;
    return this.apis.has(req.path.slice(PREFIX.length).split('/')[0]);
  }

  async handle(req: GatewayRequest, res: ServerResponse): Promise<void> {
    const [apiId, stageName = '', ...segments] = req.path.slice(PREFIX.length).split('/');
    const api = this.api(apiId);
    const path = `/${segments.join('/')}`;
    const stage = api.stages.get(stageName);
    const match = stage && matchResource(api, segments.filter(Boolean).map(safeDecode));
    const method =
      match &&
      (api.methods.get(`${match.resource.id} ${req.method}`) ?? api.methods.get(`${match.resource.id} ANY`));
    const start = this.deps.trace.record({
      kind: 'rest.request',
      apiId,
      stage: stageName,
      method: req.method,
      path,
      resourcePath: method ? match.resource.path : undefined,
    });
    const answer = (status: number, body: unknown, errorType: string, requestId?: string) => {
      this.deps.trace.record({ kind: 'rest.response', cause: start.seq, status, requestId });
      sendJson(res, status, body, { 'x-amzn-errortype': errorType });
    };
    // AWS's answers: an unknown stage is Forbidden; an unknown path or method on a stage is
    // "Missing Authentication Token" (API Gateway cannot tell it from an unsigned IAM call).
    if (!stage) return answer(403, { message: 'Forbidden' }, 'ForbiddenException');
    if (!match || !method)
      return answer(403, { message: 'Missing Authentication Token' }, 'MissingAuthenticationTokenException');
    const integration = method.integration;
    if (integration?.type === 'MOCK') {
      const mocked = mockResponse(integration);
      this.deps.trace.record({ kind: 'rest.response', cause: start.seq, status: mocked.status });
      send(res, mocked.status, 'application/json', mocked.body, mocked.headers);
      return;
    }
    if (!integration?.functionName || !this.deps.lambda.get(integration.functionName))
      return answer(500, { message: 'Internal server error' }, 'InternalServerErrorException');
    const event = proxyEvent(req, {
      accountId: this.deps.accountId,
      region: this.deps.region,
      apiId,
      stage: stageName,
      deploymentId: stage.deploymentId,
      resourceId: match.resource.id,
      resourcePath: match.resource.path,
      path,
      pathParameters: match.params,
      stageVariables: stage.variables,
      binaryMediaTypes: api.binaryMediaTypes,
    });
    const result = await this.deps.lambda.invoke(integration.functionName, event, {
      cause: start.seq,
      source: `${req.method} /${stageName}${path}`,
    });
    // A function error (thrown, timed out) and a malformed result are both 502 on AWS.
    const out = result.ok
      ? proxyResponse(result.payload, headerOf(req, 'accept'), api.binaryMediaTypes)
      : { malformed: 'the function failed' };
    if ('malformed' in out)
      return answer(
        502,
        { message: 'Internal server error' },
        'InternalServerErrorException',
        result.requestId,
      );
    this.deps.trace.record({
      kind: 'rest.response',
      cause: start.seq,
      status: out.status,
      requestId: result.requestId,
    });
    if (res.headersSent) return;
    const headers: Array<[string, string]> = [
      ['x-amzn-requestid', randomUUID()],
      ['content-length', String(out.body.length)],
    ];
    if (!out.headers.some(([k]) => k.toLowerCase() === 'content-type'))
      headers.push(['content-type', 'application/json']);
    res.writeHead(
      out.status,
      [...headers, ...out.headers.filter(([k]) => k.toLowerCase() !== 'content-length')].flat(),
    );
    res.end(out.body);
  }

  private api(apiId: string): RestApi {
    const api = this.apis.get(apiId);
    if (!api) throw new Error(`Invalid API identifier specified ${this.deps.accountId}:${apiId}`);
    return api;
  }
}

/**
 * The resource a path reaches, as API Gateway picks it: at each level a literal child
 * first, then a `{param}` child, then a greedy `{name+}` that takes the rest of the path.
 */
function matchResource(
  api: RestApi,
  segments: string[],
): { resource: RestResource; params: Record<string, string> } | undefined {
  const children = (id: string) => [...api.resources.values()].filter((r) => r.parentId === id);
  const walk = (
    at: RestResource,
    i: number,
    params: Record<string, string>,
  ): { resource: RestResource; params: Record<string, string> } | undefined => {
    if (i === segments.length) return { resource: at, params };
    const kids = children(at.id);
    const literal = kids.find((k) => k.pathPart === segments[i]);
    const found = literal && walk(literal, i + 1, params);
    if (found) return found;
    for (const k of kids) {
      const param = /^\{([^+}]+)\}$/.exec(k.pathPart ?? '');
      if (!param) continue;
      const deeper = walk(k, i + 1, { ...params, [param[1]]: segments[i] });
      if (deeper) return deeper;
    }
    for (const k of kids) {
      const greedy = /^\{(.+)\+\}$/.exec(k.pathPart ?? '');
      if (greedy) return { resource: k, params: { ...params, [greedy[1]]: segments.slice(i).join('/') } };
    }
    return undefined;
  };
  return walk(api.resources.get(api.rootResourceId)!, 0, {});
}

/**
 * A MOCK integration as osls writes it for CORS preflights: the request template sets the
 * status code, the integration response for it gives static headers (`'value'`) and a body.
 */
function mockResponse(integration: RestIntegration): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  const template = integration.requestTemplates['application/json'] ?? '';
  const status = /statusCode["']?\s*:\s*(\d{3})/.exec(template)?.[1] ?? '200';
  const responses = integration.integrationResponses;
  const chosen =
    responses.find((r) => r.selectionPattern && new RegExp(`^${r.selectionPattern}$`).test(status)) ??
    responses.find((r) => !r.selectionPattern) ??
    responses[0];
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(chosen?.responseParameters ?? {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(k)?.[1];
    const literal = /^'(.*)'$/.exec(v)?.[1];
    if (name && literal !== undefined) headers[name] = literal;
  }
  return {
    status: Number(chosen?.statusCode ?? status),
    headers,
    body: chosen?.responseTemplates['application/json'] ?? '',
  };
}

function headerOf(req: GatewayRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
