/**
 * WebSocket APIs (AWS::ApiGatewayV2::* with `ProtocolType: WEBSOCKET`) from a template, as
 * osls writes them for `websocket` events: the API with its RouteSelectionExpression, Lambda
 * integrations, routes, route responses (two-way routes), the stage and its deployment.
 * apigateway/provisioners.ts hands a V2 resource here when its API is a WebSocket API.
 */
import type { ResourceProvider } from '../../stack/provider.ts';
import { shortId } from '../ids.ts';
import type { WebSocketApis } from './service.ts';

export type V2Kind = 'Api' | 'Integration' | 'Route' | 'RouteResponse' | 'Stage' | 'Deployment';

export function webSocketProviders(deps: {
  webSockets: WebSocketApis;
  wsEndpoint(): string;
  warn(message: string): void;
}): Record<V2Kind, ResourceProvider> {
  const { webSockets, warn } = deps;
  const apiOf = (p: Record<string, any>) => String(p.ApiId);
  const sameApi = (p: Record<string, any>, previous: { properties: Record<string, any> }) =>
    apiOf(p) === previous.properties.ApiId;
  const attributes = (apiId: string) => ({
    ApiEndpoint: `${deps.wsEndpoint()}/_aws/execute-api/${apiId}`,
    ApiId: apiId,
  });
  const selection = (p: Record<string, any>) => String(p.RouteSelectionExpression ?? '$request.body.action');
  const route = (logicalId: string, routeId: string, p: Record<string, any>) => {
    if (p.AuthorizationType && p.AuthorizationType !== 'NONE')
      warn(
        `${logicalId}: ${p.AuthorizationType} authorization on "${p.RouteKey}" is not checked by the local cloud; every connection passes.`,
      );
    webSockets.putRoute(apiOf(p), {
      routeId,
      routeKey: String(p.RouteKey),
      target: p.Target === undefined ? undefined : String(p.Target),
      routeResponseSelectionExpression: p.RouteResponseSelectionExpression,
    });
    const r = webSockets
      .list()
      .find((a) => a.apiId === apiOf(p))
      ?.routes.get(routeId);
    if (!webSockets.functionOf(apiOf(p), r))
      warn(
        `${logicalId}: route "${p.RouteKey}" has no Lambda integration the local cloud knows; it is not run.`,
      );
    return { ref: routeId };
  };
  const integration = (logicalId: string, integrationId: string, p: Record<string, any>) => {
    if (!webSockets.putIntegration(apiOf(p), integrationId, String(p.IntegrationUri ?? '')))
      warn(
        `${logicalId}: integration "${p.IntegrationUri}" is not a Lambda function; the local cloud does not run it.`,
      );
    return { ref: integrationId };
  };
  return {
    Api: {
      create(logicalId, p) {
        const apiId = shortId(10);
        webSockets.addApi(apiId, String(p.Name ?? logicalId), selection(p));
        return { ref: apiId, attributes: attributes(apiId) };
      },
      update(logicalId, p, previous) {
        webSockets.updateApi(previous.physicalId, String(p.Name ?? logicalId), selection(p));
        return { ref: previous.physicalId, attributes: attributes(previous.physicalId) };
      },
      delete: (resource) => webSockets.deleteApi(resource.physicalId),
    },
    Integration: {
      create: (logicalId, p) => integration(logicalId, shortId(7), p),
      update: (logicalId, p, previous) =>
        sameApi(p, previous) ? integration(logicalId, previous.physicalId, p) : 'replace',
      delete: (r) => webSockets.deleteIntegration(apiOf(r.properties), r.physicalId),
    },
    Route: {
      create: (logicalId, p) => route(logicalId, shortId(7), p),
      update: (logicalId, p, previous) =>
        sameApi(p, previous) ? route(logicalId, previous.physicalId, p) : 'replace',
      delete: (r) => webSockets.deleteRoute(apiOf(r.properties), r.physicalId),
    },
    RouteResponse: {
      create(_logicalId, p) {
        const id = shortId(6);
        webSockets.putRouteResponse(apiOf(p), id, String(p.RouteId));
        return { ref: id };
      },
      delete: (r) => webSockets.deleteRouteResponse(apiOf(r.properties), r.physicalId),
    },
    Stage: {
      create(_logicalId, p) {
        webSockets.putStage(apiOf(p), String(p.StageName));
        return { ref: String(p.StageName) };
      },
      delete: (r) => webSockets.deleteStage(apiOf(r.properties), r.physicalId),
    },
    // A stage serves the API as it stands: a deployment has nothing to snapshot locally.
    Deployment: {
      create: () => ({ ref: shortId(6) }),
      update: (_logicalId, _p, previous) => ({ ref: previous.physicalId }),
      delete: () => undefined,
    },
  };
}
