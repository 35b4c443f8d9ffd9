/**
 * What API Gateway in the local cloud does not run is said, never skipped in silence: a
 * protocol that is not API Gateway's and a REST API from an OpenAPI body are refused at
 * deploy; an authorizer and a non-Lambda integration are named in a warning, and the method
 * answers 500 as a broken integration does on AWS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCloud } from '../../emulator/cloud.ts';
import type { Template } from '../../emulator/stack/package.ts';

describe('API Gateway resources the local cloud cannot run', () => {
  let cloud: LocalCloud;
  const warnings: string[] = [];
  beforeAll(async () => {
    cloud = await LocalCloud.start({ onWarning: (m) => warnings.push(m) });
  });
  afterAll(async () => {
    await cloud?.stop();
  });
  const deploy = (stackName: string, Resources: Template['Resources']) =>
    cloud.deployTemplate({ Resources }, { serviceDir: process.cwd(), stackName });

  it('refuses a V2 API whose ProtocolType is neither HTTP nor WEBSOCKET', async () => {
    await expect(
      deploy('grpc', {
        Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'x', ProtocolType: 'GRPC' } },
      }),
    ).rejects.toThrow(
      /Resource Api \(AWS::ApiGatewayV2::Api\): ProtocolType "GRPC" is not an API Gateway protocol/,
    );
  });

  it('refuses a REST API built from an OpenAPI body, saying what it builds from instead', async () => {
    await expect(
      deploy('openapi', {
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'x', Body: { openapi: '3.0.1' } } },
      }),
    ).rejects.toThrow(
      /Body is not supported by the local cloud: it builds a REST API from AWS::ApiGateway::Resource/,
    );
  });

  it('warns about an authorizer and an HTTP integration by method, and answers that method with 500', async () => {
    const stack = await deploy('authorized', {
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'authorized' } },
      Things: {
        Type: 'AWS::ApiGateway::Resource',
        Properties: {
          RestApiId: { Ref: 'Api' },
          ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
          PathPart: 'things',
        },
      },
      GetThings: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          RestApiId: { Ref: 'Api' },
          ResourceId: { Ref: 'Things' },
          HttpMethod: 'GET',
          AuthorizationType: 'CUSTOM',
          Integration: {
            Type: 'HTTP_PROXY',
            IntegrationHttpMethod: 'GET',
            Uri: 'https://example.com/things',
          },
        },
      },
      Deployment: {
        Type: 'AWS::ApiGateway::Deployment',
        DependsOn: ['GetThings'],
        Properties: { RestApiId: { Ref: 'Api' }, StageName: 'dev' },
      },
    });
    expect(warnings).toEqual([
      'GetThings (GET /things): HTTP_PROXY integrations are not supported by the local cloud (only Lambda proxy and MOCK); it answers 500.',
      'GetThings (GET /things): CUSTOM authorization is not checked by the local cloud; every request passes.',
    ]);
    const res = await fetch(
      `${cloud.endpoint}/_aws/execute-api/${stack.resources.get('Api')!.physicalId}/dev/things`,
    );
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal server error' });
  });
});
