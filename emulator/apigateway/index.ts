/**
 * API Gateway in the local cloud: HTTP APIs (v2, service.ts), REST APIs (v1, rest/) and
 * WebSocket APIs (v2 WEBSOCKET, websocket/), their management APIs, and their
 * AWS::ApiGateway::* and AWS::ApiGatewayV2::* resources.
 */
export {
  EXECUTE_API_PREFIX,
  HttpApis,
  type HttpApiCors,
  type HttpIntegration,
  type HttpRoute,
} from './service.ts';
export { RestApis } from './rest/service.ts';
export { WebSocketApis, IDLE_TIMEOUT_MS, MAX_CONNECTION_MS, MAX_MESSAGE_BYTES } from './websocket/service.ts';
export { apiUrls, type ApiUrl } from './urls.ts';
export { apigatewayApi, registerApiGatewayApi } from './api.ts';
export { apigatewayProviders } from './provisioners.ts';
