/**
 * REST APIs on the gateway: requests to a stage (`/_aws/execute-api/<restApiId>/<stage>/...`)
 * and the read side of the v1 management API (GetRestApis, GetRestApi, GetResources,
 * GetResource, GetStages, GetStage, GetDeployments) in the REST-JSON shapes
 * @aws-sdk/client-api-gateway and `aws apigateway` expect (lists under `item`).
 */
import { AwsError } from '../../core/errors.ts';
import { sendJson, type Gateway, type GatewayRequest } from '../../gateway/server.ts';
import type { RestApi, RestApis, RestMethod, RestResource } from './service.ts';

const READ = /^\/restapis(?:\/([^/]+)(?:\/(resources|stages|deployments)(?:\/([^/]+))?)?)?$/;

export function registerRestApi(gateway: Gateway, restApis: RestApis): void {
  // No gateway hold: the Lambda invocation behind a method holds the clock itself.
  gateway.route(
    (req) => restApis.isRequest(req),
    (req, res) => restApis.handle(req, res),
    false,
  );

  gateway.route(
    (req) => req.method === 'GET' && READ.test(req.path),
    async (req, res) => sendJson(res, 200, read(restApis, req)),
  );
}

function read(restApis: RestApis, req: GatewayRequest): unknown {
  const [, apiId, what, child] = READ.exec(req.path)!;
  if (!apiId) return { item: restApis.list().map(restApiShape) };
  const api = restApis.get(apiId);
  if (!api) throw new AwsError('NotFoundException', `Invalid API identifier specified ${apiId}`, 404);
  if (!what) return restApiShape(api);
  if (what === 'resources') {
    const embed = req.query.getAll('embed').join(',').split(',').includes('methods');
    if (child === undefined)
      return { item: [...api.resources.values()].map((r) => resourceShape(api, r, embed)) };
    const r = api.resources.get(child);
    if (!r) throw new AwsError('NotFoundException', `Invalid Resource identifier specified`, 404);
    return resourceShape(api, r, embed);
  }
  if (what === 'stages') {
    const shape = (s: RestApi['stages'] extends Map<string, infer S> ? S : never) => ({
      stageName: s.stageName,
      deploymentId: s.deploymentId,
      description: s.description,
      variables: Object.keys(s.variables).length ? s.variables : undefined,
      createdDate: s.createdDate / 1000,
      lastUpdatedDate: s.lastUpdatedDate / 1000,
      tracingEnabled: false,
    });
    if (child === undefined) return { item: [...api.stages.values()].map(shape) };
    const s = api.stages.get(child);
    if (!s) throw new AwsError('NotFoundException', `Invalid stage identifier specified`, 404);
    return shape(s);
  }
  const deployments = [...api.deployments.values()].map((d) => ({
    id: d.id,
    description: d.description,
    createdDate: d.createdDate / 1000,
  }));
  if (child === undefined) return { item: deployments };
  const d = deployments.find((x) => x.id === child);
  if (!d) throw new AwsError('NotFoundException', `Invalid Deployment identifier specified`, 404);
  return d;
}

function restApiShape(api: RestApi) {
  return {
    id: api.id,
    name: api.name,
    description: api.description,
    createdDate: api.createdDate / 1000,
    binaryMediaTypes: api.binaryMediaTypes.length ? api.binaryMediaTypes : undefined,
    apiKeySource: 'HEADER',
    endpointConfiguration: { types: api.endpointTypes },
    disableExecuteApiEndpoint: false,
    rootResourceId: api.rootResourceId,
  };
}

function resourceShape(api: RestApi, r: RestResource, embed: boolean) {
  const methods = [...api.methods.values()].filter((m) => m.resourceId === r.id);
  return {
    id: r.id,
    parentId: r.parentId,
    pathPart: r.pathPart,
    path: r.path,
    resourceMethods: methods.length
      ? Object.fromEntries(methods.map((m) => [m.httpMethod, embed ? methodShape(m) : {}]))
      : undefined,
  };
}

function methodShape(m: RestMethod) {
  const i = m.integration;
  return {
    httpMethod: m.httpMethod,
    authorizationType: m.authorizationType,
    apiKeyRequired: m.apiKeyRequired,
    methodIntegration: i && {
      type: i.type,
      httpMethod: i.httpMethod,
      uri: i.uri,
      requestTemplates: Object.keys(i.requestTemplates).length ? i.requestTemplates : undefined,
      integrationResponses: i.integrationResponses.length
        ? Object.fromEntries(
            i.integrationResponses.map((r) => [
              r.statusCode,
              {
                statusCode: r.statusCode,
                selectionPattern: r.selectionPattern,
                responseParameters: r.responseParameters,
                responseTemplates: r.responseTemplates,
              },
            ]),
          )
        : undefined,
    },
  };
}
