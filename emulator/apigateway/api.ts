/**
 * API Gateway on the gateway: REST APIs (rest/api.ts), WebSocket APIs (websocket/api.ts),
 * HTTP API requests (`/_aws/execute-api/<apiId>/<path>`, the
 * local stand-in for `https://<apiId>.execute-api.<region>.amazonaws.com`) and the read side
 * of the v2 management API (GetApis, GetRoutes, GetIntegrations) for HTTP and WebSocket
 * APIs, in the shapes @aws-sdk/client-apigatewayv2 and `aws apigatewayv2` expect.
 */
import { AwsError } from '../core/errors.ts';
import { sendJson, type Gateway } from '../gateway/server.ts';
import { EXECUTE_API_PREFIX, type HttpApis } from './service.ts';
import { registerRestApi } from './rest/api.ts';
import type { RestApis } from './rest/service.ts';
import { registerWebSocketApi } from './websocket/api.ts';
import type { WebSocketApis } from './websocket/service.ts';
import type { ApiCatalogue } from '../gateway/api-catalogue.ts';

export const apigatewayApi: ApiCatalogue = {
  service: 'API Gateway (HTTP, REST and WebSocket APIs)',
  protocol:
    'REST-JSON (/v2/apis... and /restapis...; requests to the APIs under /_aws/execute-api/, @connections there too)',
  actions: [
    'GetApis',
    'GetRoutes',
    'GetIntegrations',
    'GetRestApis',
    'GetRestApi',
    'GetResources',
    'GetResource',
    'GetStages',
    'GetStage',
    'GetDeployments',
    'GetDeployment',
    'PostToConnection',
    'GetConnection',
    'DeleteConnection',
  ],
};

const APIS = '/v2/apis';
const CHILDREN = /^\/v2\/apis\/([^/]+)\/(routes|integrations)$/;

export function registerApiGatewayApi(
  gateway: Gateway,
  apis: { httpApis: HttpApis; restApis: RestApis; webSockets: WebSocketApis },
  endpoint: () => string,
): void {
  const { httpApis, webSockets } = apis;
  // REST and WebSocket APIs first: they take the ids that are theirs, HTTP APIs the rest.
  registerRestApi(gateway, apis.restApis);
  registerWebSocketApi(gateway, webSockets);
  // No gateway hold: the Lambda invocation behind a route holds the clock itself.
  gateway.route(
    (req) => req.path.startsWith(EXECUTE_API_PREFIX),
    (req, res) => httpApis.handle(req, res),
    false,
  );

  gateway.route(
    (req) => req.method === 'GET' && (req.path === APIS || CHILDREN.test(req.path)),
    async (req, res) => {
      const http = httpApis.list();
      if (req.path === APIS) {
        const items = [
          ...http.map((a) => ({
            apiId: a.apiId,
            name: a.name,
            apiEndpoint: `${endpoint()}${EXECUTE_API_PREFIX}${a.apiId}`,
            protocolType: 'HTTP',
            routeSelectionExpression: '$request.method $request.path',
            corsConfiguration: a.cors && lowerKeys(a.cors),
          })),
          ...webSockets.list().map((a) => ({
            apiId: a.apiId,
            name: a.name,
            apiEndpoint: `${endpoint().replace(/^http/, 'ws')}${EXECUTE_API_PREFIX}${a.apiId}`,
            protocolType: 'WEBSOCKET',
            routeSelectionExpression: a.routeSelectionExpression,
          })),
        ];
        sendJson(res, 200, { items });
        return;
      }
      const [, apiId, what] = CHILDREN.exec(req.path)!;
      const ws = webSockets.list().find((a) => a.apiId === apiId);
      if (ws) {
        const items =
          what === 'routes'
            ? [...ws.routes.values()].map((r) => ({
                routeId: r.routeId,
                routeKey: r.routeKey,
                target: r.target,
                routeResponseSelectionExpression: r.routeResponseSelectionExpression,
                apiKeyRequired: false,
                authorizationType: 'NONE',
              }))
            : [...ws.integrations.values()].map((i) => ({
                integrationId: i.integrationId,
                integrationType: 'AWS_PROXY',
                integrationUri: i.integrationUri,
              }));
        sendJson(res, 200, { items });
        return;
      }
      const api = http.find((a) => a.apiId === apiId);
      if (!api) throw new AwsError('NotFoundException', `Invalid API identifier specified ${apiId}`, 404);
      const items =
        what === 'routes'
          ? api.routes.map((r) => ({
              routeId: r.routeId,
              routeKey: r.routeKey,
              target: r.target,
              apiKeyRequired: false,
              authorizationType: 'NONE',
            }))
          : api.integrations.map((i) => ({
              integrationId: i.integrationId,
              integrationType: 'AWS_PROXY',
              integrationUri: i.integrationUri,
              payloadFormatVersion: '2.0',
            }));
      sendJson(res, 200, { items });
    },
  );
}

/** `AllowOrigins` → `allowOrigins`: the template's names against the API's wire names. */
function lowerKeys(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k[0].toLowerCase() + k.slice(1), v]));
}
