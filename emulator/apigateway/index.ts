/** API Gateway HTTP APIs in the local cloud: routes to Lambdas, their API, AWS::ApiGatewayV2::*. */
export {
  EXECUTE_API_PREFIX,
  HttpApis,
  type HttpApiCors,
  type HttpIntegration,
  type HttpRoute,
} from './service.ts';
export { apigatewayApi, registerApiGatewayApi } from './api.ts';
export { apigatewayProviders } from './provisioners.ts';
