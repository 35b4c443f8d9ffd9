/**
 * API Gateway from a template. HTTP APIs (API Gateway v2): the API, its Lambda integrations
 * and its routes. Each changes in place (name and CORS, integration URI, route key and
 * target); a new ApiId replaces an integration or a route; a deleted API takes its routes
 * with it. A V2 resource of a WebSocket API goes to websocket/provisioners.ts; REST APIs
 * (AWS::ApiGateway::*) are rest/provisioners.ts.
 */
import type { ResourceProvider } from '../stack/provider.ts';
import { shortId } from './ids.ts';
import { restApiProviders } from './rest/provisioners.ts';
import type { RestApis } from './rest/service.ts';
import { webSocketProviders, type V2Kind } from './websocket/provisioners.ts';
import type { WebSocketApis } from './websocket/service.ts';
import { EXECUTE_API_PREFIX, type HttpApiCors, type HttpApis } from './service.ts';

export function apigatewayProviders(deps: {
  httpApis: HttpApis;
  restApis: RestApis;
  webSockets: WebSocketApis;
  endpoint(): string;
  warn(message: string): void;
}): Record<string, ResourceProvider> {
  const { httpApis, webSockets, warn } = deps;
  const ws = webSocketProviders({
    webSockets,
    warn,
    wsEndpoint: () => deps.endpoint().replace(/^http/, 'ws'),
  });
  const api = (apiId: string) => ({
    ref: apiId,
    attributes: { ApiEndpoint: `${deps.endpoint()}${EXECUTE_API_PREFIX}${apiId}`, ApiId: apiId },
  });
  const route = (logicalId: string, routeId: string, p: Record<string, any>) => {
    const r = httpApis.putRoute(
      String(p.ApiId),
      routeId,
      String(p.RouteKey),
      p.Target === undefined ? undefined : String(p.Target),
    );
    if (!httpApis.integrationOf(String(p.ApiId), r)?.functionName) {
      warn(
        `${logicalId}: route "${p.RouteKey}" has no Lambda integration the local cloud knows; it will answer 404.`,
      );
    }
    return { ref: routeId };
  };
  const integration = (logicalId: string, integrationId: string, p: Record<string, any>) => {
    const made = httpApis.putIntegration(String(p.ApiId), integrationId, String(p.IntegrationUri ?? ''));
    if (!made.functionName)
      warn(
        `${logicalId}: integration "${p.IntegrationUri}" is not a Lambda function; the local cloud answers its routes with 404.`,
      );
    return { ref: integrationId };
  };
  const http: Partial<Record<V2Kind, ResourceProvider>> = {
    Api: {
      create(logicalId, p) {
        if (p.ProtocolType !== undefined && p.ProtocolType !== 'HTTP')
          throw new Error(
            `ProtocolType "${p.ProtocolType}" is not an API Gateway protocol: use HTTP or WEBSOCKET.`,
          );
        const apiId = shortId(10);
        httpApis.addApi(apiId, p.Name ?? logicalId, p.CorsConfiguration as HttpApiCors | undefined);
        return api(apiId);
      },
      update(logicalId, p, previous) {
        httpApis.updateApi(previous.physicalId, {
          name: p.Name ?? logicalId,
          cors: p.CorsConfiguration as HttpApiCors | undefined,
        });
        return api(previous.physicalId);
      },
      delete: (resource) => httpApis.deleteApi(resource.physicalId),
    },

    Integration: {
      create: (logicalId, p) => integration(logicalId, shortId(7), p),
      update: (logicalId, p, previous) =>
        p.ApiId !== previous.properties.ApiId ? 'replace' : integration(logicalId, previous.physicalId, p),
      delete: (resource) =>
        httpApis.deleteIntegration(String(resource.properties.ApiId), resource.physicalId),
    },

    Route: {
      create: (logicalId, p) => route(logicalId, shortId(7), p),
      update: (logicalId, p, previous) =>
        p.ApiId !== previous.properties.ApiId ? 'replace' : route(logicalId, previous.physicalId, p),
      delete: (resource) => httpApis.deleteRoute(String(resource.properties.ApiId), resource.physicalId),
    },
  };
  const kinds: V2Kind[] = ['Api', 'Integration', 'Route', 'RouteResponse', 'Stage', 'Deployment'];
  return {
    ...Object.fromEntries(
      kinds.map((kind) => [`AWS::ApiGatewayV2::${kind}`, byProtocol(kind, http[kind], ws[kind], webSockets)]),
    ),
    ...restApiProviders({ restApis: deps.restApis, warn }),
  };
}

/**
 * One V2 provider for both protocols: an Api by its ProtocolType, anything else by the API
 * it belongs to. HTTP APIs need no stage or deployment locally (a `$default` stage serves
 * them), and have no route responses: those are accepted as they are.
 */
function byProtocol(
  kind: V2Kind,
  http: ResourceProvider | undefined,
  ws: ResourceProvider,
  webSockets: WebSocketApis,
): ResourceProvider {
  const isWs = (p: Record<string, any>) =>
    kind === 'Api' ? p.ProtocolType === 'WEBSOCKET' : webSockets.has(String(p.ApiId));
  const httpOrAccept: ResourceProvider = http ?? {
    create: (logicalId, p) => ({ ref: String(p.StageName ?? logicalId) }),
    update: (_logicalId, _p, previous) => ({ ref: previous.physicalId }),
    delete: () => undefined,
  };
  return {
    create: (logicalId, p, ctx) => (isWs(p) ? ws : httpOrAccept).create(logicalId, p, ctx),
    update(logicalId, p, previous, ctx) {
      const was = isWs(previous.properties);
      if (was !== isWs(p) || (kind === 'Api' && p.ProtocolType !== previous.properties.ProtocolType))
        return 'replace';
      const provider = was ? ws : httpOrAccept;
      return provider.update ? provider.update(logicalId, p, previous, ctx) : 'replace';
    },
    delete: (resource, ctx) => (isWs(resource.properties) ? ws : httpOrAccept).delete(resource, ctx),
  };
}
