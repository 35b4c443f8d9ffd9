import type { PolicyStatement } from '../iam/policy.ts';
import type { DynamoDb } from '../dynamodb/provider.ts';
import type { HttpApiCors, HttpApis } from '../apigateway/http-api.ts';
import { EXECUTE_API_PREFIX } from '../apigateway/http-api.ts';
import type { LambdaService } from '../lambda/service.ts';
import { handlerSource, type Provisioner } from './deploy.ts';

/**
 * How each resource type of part 1 comes to life in the local cloud: tables in dynalite,
 * functions as sandboxes, roles as policy statements the gateway checks, HTTP API routes.
 */
export interface CoreServices {
  dynamodb: DynamoDb;
  lambda: LambdaService;
  httpApis: HttpApis;
  roles: Map<string, PolicyStatement[]>;
  endpoint(): string;
  warn(message: string): void;
}

export function coreProvisioners(s: CoreServices): Record<string, Provisioner> {
  // Integration ids are their logical ids here: a Route's Target names one (integrations/<Ref>).
  const integrations = new Map<string, string>();
  return {
    'AWS::DynamoDB::Table': async (logicalId, p, ctx) => {
      const TableName = p.TableName ?? ctx.generatedName(logicalId, 255);
      const input: Record<string, unknown> = {
        TableName,
        AttributeDefinitions: p.AttributeDefinitions,
        KeySchema: p.KeySchema,
        BillingMode: p.BillingMode ?? 'PROVISIONED',
      };
      if (p.ProvisionedThroughput) input.ProvisionedThroughput = p.ProvisionedThroughput;
      if (p.GlobalSecondaryIndexes) input.GlobalSecondaryIndexes = p.GlobalSecondaryIndexes;
      if (p.LocalSecondaryIndexes) input.LocalSecondaryIndexes = p.LocalSecondaryIndexes;
      if (p.StreamSpecification) input.StreamSpecification = { StreamEnabled: true, StreamViewType: p.StreamSpecification.StreamViewType };
      try {
        await s.dynamodb.call('CreateTable', input);
      } catch (err) {
        const e = err as Error;
        // A disk store (npm run dev) keeps tables across restarts: reuse, don't fail.
        if (e.name !== 'ResourceInUseException') throw new Error(`Resource ${logicalId} (AWS::DynamoDB::Table): ${e.message}`);
      }
      const arn = `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${TableName}`;
      return { ref: TableName, attributes: { Arn: arn, StreamArn: `${arn}/stream/1970-01-01T00:00:00.000` } };
    },

    'AWS::IAM::Role': (logicalId, p, ctx) => {
      const name = p.RoleName ?? ctx.generatedName(logicalId);
      const arn = `arn:aws:iam::${ctx.accountId}:role${p.Path ?? '/'}${name}`;
      const statements: PolicyStatement[] = [];
      for (const policy of p.Policies ?? []) {
        const st = policy.PolicyDocument?.Statement ?? [];
        statements.push(...(Array.isArray(st) ? st : [st]));
      }
      if ((p.ManagedPolicyArns ?? []).length) {
        s.warn(`${logicalId}: managed policies (${p.ManagedPolicyArns.join(', ')}) are not evaluated locally; only the role's inline statements are.`);
      }
      s.roles.set(arn, statements);
      return { ref: name, attributes: { Arn: arn, RoleId: `AROA${logicalId.toUpperCase().slice(0, 16)}` } };
    },

    'AWS::Lambda::Function': (logicalId, p, ctx) => {
      const name = p.FunctionName ?? ctx.generatedName(logicalId, 64);
      const { sourceFile, exportName, found } = handlerSource(ctx.serviceDir, p.Handler);
      if (!found) {
        s.warn(`${logicalId}: the handler "${p.Handler}" has no source file: looked for ${sourceFile.replace(/\.ts$/, '.{ts,mts,js,mjs}')}. Check the handler path in serverless.ts.`);
      }
      const environment: Record<string, string> = {};
      for (const [k, v] of Object.entries(p.Environment?.Variables ?? {})) environment[k] = typeof v === 'string' ? v : JSON.stringify(v);
      s.lambda.register({
        name,
        logicalId,
        handler: p.Handler,
        sourceFile,
        exportName,
        codeDir: ctx.serviceDir,
        environment,
        timeout: Number(p.Timeout ?? 3),
        memorySize: Number(p.MemorySize ?? 128),
        roleArn: typeof p.Role === 'string' ? p.Role : undefined,
      });
      return { ref: name, attributes: { Arn: s.lambda.arnOf(name) } };
    },

    'AWS::ApiGatewayV2::Api': (logicalId, p) => {
      const apiId = Math.random().toString(36).slice(2, 12);
      const cors = p.CorsConfiguration as HttpApiCors | undefined;
      s.httpApis.addApi(apiId, p.Name ?? logicalId, cors);
      return { ref: apiId, attributes: { ApiEndpoint: `${s.endpoint()}${EXECUTE_API_PREFIX}${apiId}`, ApiId: apiId } };
    },

    'AWS::ApiGatewayV2::Integration': (logicalId, p) => {
      const uri = String(p.IntegrationUri ?? '');
      const fn = /function:([^:/]+)/.exec(uri)?.[1] ?? uri;
      integrations.set(`${p.ApiId}/${logicalId}`, fn);
      return { ref: logicalId, attributes: {} };
    },

    'AWS::ApiGatewayV2::Route': (logicalId, p) => {
      const target = String(p.Target ?? '');
      const integrationId = target.replace(/^integrations\//, '');
      const fn = integrations.get(`${p.ApiId}/${integrationId}`);
      if (!fn) {
        s.warn(`${logicalId}: route "${p.RouteKey}" has no Lambda integration the local cloud knows; it will answer 404.`);
        return { ref: logicalId };
      }
      s.httpApis.addRoute(p.ApiId, p.RouteKey, fn);
      return { ref: logicalId };
    },
  };
}
