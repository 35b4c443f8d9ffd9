/**
 * What a packaged template says of session 3's bonus part, the board over a WebSocket: the
 * WebSocket API and which function each of its routes runs, the connection table, the virus
 * table's stream and the function its event source mapping invokes. The static checks judge
 * it; the observation reads from it what to connect to and which table to look in.
 */
import type { Template } from '../../../emulator/index.ts';
import { referencedIds, resourcesOfType, type Resource } from '../../core/template.ts';

export interface PushPart {
  /** The API with ProtocolType WEBSOCKET: none until the learner tries the bonus. */
  api?: Resource;
  /** Route key → the logical id of the Lambda function its integration invokes (undefined: none). */
  routes: Map<string, string | undefined>;
  /** The table the `$connect` function is given in its environment (other than the virus table). */
  connectionTable?: { logicalId: string; key?: string };
  /** VirusTable's StreamSpecification.StreamViewType, when it has a stream. */
  viewType?: string;
  /** The event source mapping on the virus table's stream, and the function it invokes. */
  mapping?: { resource: Resource; functionId?: string };
}

const VIRUS_TABLE = 'VirusTable';

export function pushPart(template: Template): PushPart {
  const api = resourcesOfType(template, 'AWS::ApiGatewayV2::Api').find(
    (r) => r.Properties?.ProtocolType === 'WEBSOCKET',
  );
  const routes = new Map<string, string | undefined>();
  if (api) {
    const integrations = new Map(
      resourcesOfType(template, 'AWS::ApiGatewayV2::Integration').map((i) => [
        i.logicalId,
        lambdaOf(template, i.Properties?.IntegrationUri),
      ]),
    );
    for (const route of resourcesOfType(template, 'AWS::ApiGatewayV2::Route')) {
      if (!referencedIds(route.Properties?.ApiId).includes(api.logicalId)) continue;
      const integration = referencedIds(route.Properties?.Target).find((id) => integrations.has(id));
      routes.set(String(route.Properties?.RouteKey), integration && integrations.get(integration));
    }
  }
  const virusTable = template.Resources[VIRUS_TABLE];
  const viewType = virusTable?.Properties?.StreamSpecification?.StreamViewType as string | undefined;
  const mapping = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').find((m) =>
    referencedIds(m.Properties?.EventSourceArn).includes(VIRUS_TABLE),
  );
  return {
    api,
    routes,
    connectionTable: connectionTableOf(template, routes.get('$connect')),
    viewType,
    mapping: mapping && {
      resource: mapping,
      functionId: lambdaOf(template, mapping.Properties?.FunctionName),
    },
  };
}

/** The logical id of the Lambda function a value (an ARN built with Fn::GetAtt, a Ref) names. */
function lambdaOf(template: Template, value: unknown): string | undefined {
  return referencedIds(value).find((id) => template.Resources[id]?.Type === 'AWS::Lambda::Function');
}

function connectionTableOf(template: Template, functionId: string | undefined): PushPart['connectionTable'] {
  const fn = functionId ? template.Resources[functionId] : undefined;
  const variables = Object.values(fn?.Properties?.Environment?.Variables ?? {});
  const tableId = referencedIds(variables).find(
    (id) => id !== VIRUS_TABLE && template.Resources[id]?.Type === 'AWS::DynamoDB::Table',
  );
  if (!tableId) return undefined;
  const keySchema = (template.Resources[tableId].Properties?.KeySchema ?? []) as Array<{
    AttributeName?: string;
    KeyType?: string;
  }>;
  return { logicalId: tableId, key: keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName };
}

/** `connectLambdaFunction` reads better as the function's name in serverless.ts: `connect`. */
export function shortFunction(template: Template, logicalId: string | undefined): string {
  if (!logicalId) return 'no function';
  const name = template.Resources[logicalId]?.Properties?.FunctionName;
  return typeof name === 'string'
    ? (name.split('-').pop() ?? name)
    : logicalId.replace(/LambdaFunction$/, '');
}
