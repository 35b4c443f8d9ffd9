/**
 * HTTP APIs (API Gateway v2) from a template: the API, its Lambda integrations and its
 * routes. Each changes in place (name and CORS, integration URI, route key and target); a
 * new ApiId replaces an integration or a route; a deleted API takes its routes with it.
 */
import { randomBytes } from 'node:crypto';
import type { ResourceProvider } from '../stack/provider.ts';
import { EXECUTE_API_PREFIX, type HttpApiCors, type HttpApis } from './service.ts';

export function apigatewayProviders(deps: {
  httpApis: HttpApis;
  endpoint(): string;
  warn(message: string): void;
}): Record<string, ResourceProvider> {
  const { httpApis, warn } = deps;
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
  return {
    'AWS::ApiGatewayV2::Api': {
      create(logicalId, p) {
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

    'AWS::ApiGatewayV2::Integration': {
      create: (logicalId, p) => integration(logicalId, shortId(7), p),
      update: (logicalId, p, previous) =>
        p.ApiId !== previous.properties.ApiId ? 'replace' : integration(logicalId, previous.physicalId, p),
      delete: (resource) =>
        httpApis.deleteIntegration(String(resource.properties.ApiId), resource.physicalId),
    },

    'AWS::ApiGatewayV2::Route': {
      create: (logicalId, p) => route(logicalId, shortId(7), p),
      update: (logicalId, p, previous) =>
        p.ApiId !== previous.properties.ApiId ? 'replace' : route(logicalId, previous.physicalId, p),
      delete: (resource) => httpApis.deleteRoute(String(resource.properties.ApiId), resource.physicalId),
    },
  };
}

/** API Gateway's ids: short, lower-case letters and digits. */
function shortId(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}
