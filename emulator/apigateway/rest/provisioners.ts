/**
 * REST APIs (API Gateway v1) from a template, as osls writes them for `http` events: the
 * API, its resource tree, methods (Lambda proxy, or MOCK for the CORS preflight), the
 * deployment that names the stage, and stages of their own. What the local cloud does not
 * do (authorizers, API keys, other integration types) is said once per method, at deploy.
 */
import type { ResourceProvider } from '../../stack/provider.ts';
import type { IntegrationResponse, RestApis, RestApiSettings, RestIntegration } from './service.ts';

export function restApiProviders(deps: {
  restApis: RestApis;
  warn(message: string): void;
}): Record<string, ResourceProvider> {
  const { restApis, warn } = deps;
  const settings = (logicalId: string, p: Record<string, any>): RestApiSettings => {
    for (const key of ['Body', 'BodyS3Location', 'CloneFrom'])
      if (p[key] !== undefined)
        throw new Error(
          `${key} is not supported by the local cloud: it builds a REST API from AWS::ApiGateway::Resource and ::Method resources (what osls writes for \`http\` events), not from an OpenAPI document.`,
        );
    if (p.Policy && (typeof p.Policy !== 'string' || p.Policy.trim() !== ''))
      warn(`${logicalId}: the REST API's resource policy is not enforced by the local cloud.`);
    return {
      name: String(p.Name ?? logicalId),
      description: p.Description,
      binaryMediaTypes: (p.BinaryMediaTypes ?? []).map((t: string) => t.replace('~1', '/')),
      endpointTypes: p.EndpointConfiguration?.Types ?? ['EDGE'],
    };
  };
  const apiOf = (p: Record<string, any>) => String(p.RestApiId);

  return {
    'AWS::ApiGateway::RestApi': {
      create(logicalId, p) {
        const api = restApis.createApi(settings(logicalId, p));
        return { ref: api.id, attributes: { RestApiId: api.id, RootResourceId: api.rootResourceId } };
      },
      update(logicalId, p, previous) {
        restApis.updateApi(previous.physicalId, settings(logicalId, p));
        return { ref: previous.physicalId, attributes: previous.attributes };
      },
      delete: (resource) => restApis.deleteApi(resource.physicalId),
    },

    'AWS::ApiGateway::Resource': {
      create(_logicalId, p) {
        const r = restApis.putResource(apiOf(p), String(p.ParentId), String(p.PathPart));
        return { ref: r.id, attributes: { ResourceId: r.id } };
      },
      update(_logicalId, p, previous) {
        if (apiOf(p) !== previous.properties.RestApiId) return 'replace';
        restApis.putResource(apiOf(p), String(p.ParentId), String(p.PathPart), previous.physicalId);
        return { ref: previous.physicalId, attributes: previous.attributes };
      },
      delete: (resource) => restApis.deleteResource(apiOf(resource.properties), resource.physicalId),
    },

    'AWS::ApiGateway::Method': {
      create(logicalId, p) {
        putMethod(logicalId, p);
        return { ref: `${p.ResourceId}-${String(p.HttpMethod).toUpperCase()}` };
      },
      update(logicalId, p, previous) {
        if (
          apiOf(p) !== previous.properties.RestApiId ||
          p.ResourceId !== previous.properties.ResourceId ||
          p.HttpMethod !== previous.properties.HttpMethod
        )
          return 'replace';
        putMethod(logicalId, p);
        return { ref: previous.physicalId };
      },
      delete: (resource) =>
        restApis.deleteMethod(
          apiOf(resource.properties),
          String(resource.properties.ResourceId),
          String(resource.properties.HttpMethod).toUpperCase(),
        ),
    },

    'AWS::ApiGateway::Deployment': {
      create(_logicalId, p) {
        const id = restApis.createDeployment(apiOf(p), p.Description);
        // CreateDeployment with a stage name makes the stage, or points it at this deployment.
        if (p.StageName)
          restApis.putStage(
            apiOf(p),
            {
              stageName: String(p.StageName),
              deploymentId: id,
              description: p.StageDescription?.Description,
              variables: p.StageDescription?.Variables,
            },
            false,
          );
        return { ref: id, attributes: { DeploymentId: id } };
      },
      delete(resource) {
        const apiId = apiOf(resource.properties);
        const stageName = resource.properties.StageName;
        // The stage goes with the deployment that made it, unless a newer deployment took it.
        if (stageName && restApis.get(apiId)?.stages.get(stageName)?.deploymentId === resource.physicalId)
          restApis.deleteStage(apiId, stageName);
        restApis.deleteDeployment(apiId, resource.physicalId);
      },
    },

    'AWS::ApiGateway::Stage': {
      create(_logicalId, p) {
        restApis.putStage(apiOf(p), stageOf(p), true);
        return { ref: String(p.StageName) };
      },
      update(_logicalId, p, previous) {
        if (apiOf(p) !== previous.properties.RestApiId || p.StageName !== previous.properties.StageName)
          return 'replace';
        restApis.putStage(apiOf(p), stageOf(p), false);
        return { ref: previous.physicalId };
      },
      delete: (resource) => restApis.deleteStage(apiOf(resource.properties), resource.physicalId),
    },
  };

  function putMethod(logicalId: string, p: Record<string, any>): void {
    const httpMethod = String(p.HttpMethod).toUpperCase();
    const resource = restApis.get(apiOf(p))?.resources.get(String(p.ResourceId));
    const where = `${logicalId} (${httpMethod} ${resource?.path ?? p.ResourceId})`;
    const integration = integrationOf(p.Integration);
    if (!integration)
      warn(`${where}: the method has no integration; the local cloud answers it with 500, as AWS would.`);
    else if (integration.type === 'AWS_PROXY' && !integration.functionName)
      warn(
        `${where}: its AWS_PROXY integration "${integration.uri}" is not a Lambda function; it answers 500.`,
      );
    else if (integration.type !== 'AWS_PROXY' && integration.type !== 'MOCK')
      warn(
        `${where}: ${integration.type} integrations are not supported by the local cloud (only Lambda proxy and MOCK); it answers 500.`,
      );
    const authorizationType = String(p.AuthorizationType ?? 'NONE');
    if (authorizationType !== 'NONE')
      warn(
        `${where}: ${authorizationType} authorization is not checked by the local cloud; every request passes.`,
      );
    if (p.ApiKeyRequired === true)
      warn(`${where}: API keys are not checked by the local cloud; requests without x-api-key pass.`);
    restApis.putMethod(apiOf(p), {
      resourceId: String(p.ResourceId),
      httpMethod,
      authorizationType,
      apiKeyRequired: p.ApiKeyRequired === true,
      integration,
    });
  }
}

function integrationOf(i: Record<string, any> | undefined): RestIntegration | undefined {
  if (!i) return undefined;
  const uri = i.Uri === undefined ? undefined : String(i.Uri);
  return {
    type: String(i.Type ?? ''),
    uri,
    httpMethod: i.IntegrationHttpMethod,
    functionName: uri && /:lambda:path\/.*function:([^:/]+)/.exec(uri)?.[1],
    requestTemplates: i.RequestTemplates ?? {},
    integrationResponses: (i.IntegrationResponses ?? []).map(
      (r: Record<string, any>): IntegrationResponse => ({
        statusCode: String(r.StatusCode),
        selectionPattern: r.SelectionPattern,
        responseParameters: r.ResponseParameters ?? {},
        responseTemplates: r.ResponseTemplates ?? {},
      }),
    ),
  };
}

function stageOf(p: Record<string, any>) {
  return {
    stageName: String(p.StageName),
    deploymentId: String(p.DeploymentId),
    description: p.Description,
    variables: p.Variables,
  };
}
