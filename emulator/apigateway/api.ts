/**
 * API Gateway on the gateway: HTTP API requests (`/_aws/execute-api/<apiId>/<path>`, the
 * local stand-in for `https://<apiId>.execute-api.<region>.amazonaws.com`) and the read side
 * of the v2 management API (GetApis, GetRoutes, GetIntegrations), in the shapes
 * @aws-sdk/client-apigatewayv2 and `aws apigatewayv2` expect.
 */
import { AwsError } from '../core/errors.ts';
import { sendJson, type Gateway } from '../gateway/server.ts';
import { EXECUTE_API_PREFIX, type HttpApis } from './service.ts';
import type { ApiCatalogue } from '../gateway/api-catalogue.ts';

export const apigatewayApi: ApiCatalogue = {
  service: 'API Gateway v2 (HTTP APIs)',
  protocol: 'REST-JSON (/v2/apis...; requests to the APIs under /_aws/execute-api/)',
  actions: ['GetApis', 'GetRoutes', 'GetIntegrations'],
};

const APIS = '/v2/apis';
const CHILDREN = /^\/v2\/apis\/([^/]+)\/(routes|integrations)$/;

export function registerApiGatewayApi(gateway: Gateway, httpApis: HttpApis, endpoint: () => string): void {
  // No gateway hold: the Lambda invocation behind a route holds the clock itself.
  gateway.route(
    (req) => req.path.startsWith(EXECUTE_API_PREFIX),
    (req, res) => httpApis.handle(req, res),
    false,
  );

  gateway.route(
    (req) => req.method === 'GET' && (req.path === APIS || CHILDREN.test(req.path)),
    async (req, res) => {
      const apis = httpApis.list();
      if (req.path === APIS) {
        const items = apis.map((a) => ({
          apiId: a.apiId,
          name: a.name,
          apiEndpoint: `${endpoint()}${EXECUTE_API_PREFIX}${a.apiId}`,
          protocolType: 'HTTP',
          routeSelectionExpression: '$request.method $request.path',
          corsConfiguration: a.cors && lowerKeys(a.cors),
        }));
        sendJson(res, 200, { items });
        return;
      }
      const [, apiId, what] = CHILDREN.exec(req.path)!;
      const api = apis.find((a) => a.apiId === apiId);
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
