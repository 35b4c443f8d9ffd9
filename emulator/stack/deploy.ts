import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { dependencyOrder, evaluateConditions, resolveValue, type StackContext } from '../cloudformation/intrinsics.ts';
import type { Template } from './package.ts';

/**
 * Deploys a CloudFormation template into the local cloud: resources in dependency order,
 * intrinsics resolved, each resource type handed to the provisioner of its service. Types
 * with no local meaning (log groups, the deployment bucket, versions, permissions) are
 * accepted quietly; anything else unknown is a clear warning, never a crash.
 */
export interface Provisioned {
  /** What `Ref` returns. */
  ref: string;
  /** What `Fn::GetAtt` returns, by attribute name. */
  attributes?: Record<string, unknown>;
}

export interface ProvisionContext {
  stack: DeployedStack;
  serviceDir: string;
  region: string;
  accountId: string;
  /** A physical name like CloudFormation would generate one. */
  generatedName(logicalId: string, maxLength?: number): string;
}

export type Provisioner = (logicalId: string, properties: Record<string, any>, ctx: ProvisionContext) => Promise<Provisioned> | Provisioned;

export interface DeployedResource {
  logicalId: string;
  type: string;
  physicalId: string;
  properties: Record<string, any>;
  attributes: Record<string, unknown>;
}

export interface DeployedStack {
  name: string;
  serviceDir: string;
  template: Template;
  resources: Map<string, DeployedResource>;
  outputs: Record<string, unknown>;
  warnings: string[];
}

/** Resource types that exist only for AWS's sake and need nothing locally. */
const QUIET_TYPES = new Set([
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::Logs::LogGroup',
  'AWS::Lambda::Version',
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::ApiGatewayV2::Stage',
  'AWS::ApiGatewayV2::Deployment',
]);

export async function deployTemplate(
  template: Template,
  options: { stackName: string; serviceDir: string; region: string; accountId: string; provisioners: Record<string, Provisioner>; warn(message: string): void },
): Promise<DeployedStack> {
  const stack: DeployedStack = { name: options.stackName, serviceDir: options.serviceDir, template, resources: new Map(), outputs: {}, warnings: [] };
  const warn = (m: string) => {
    stack.warnings.push(m);
    options.warn(m);
  };
  const ctx: StackContext = {
    stackName: options.stackName,
    region: options.region,
    accountId: options.accountId,
    parameters: Object.fromEntries(Object.entries(template.Parameters ?? {}).map(([k, p]) => [k, p.Default])),
    mappings: template.Mappings,
    conditions: {},
    ref(logicalId) {
      const r = stack.resources.get(logicalId);
      if (!r) throw new Error(`Ref to ${logicalId}, which is not deployed (yet).`);
      return r.physicalId;
    },
    getAtt(logicalId, attribute) {
      const r = stack.resources.get(logicalId);
      if (!r) throw new Error(`Fn::GetAtt on ${logicalId}, which is not deployed (yet).`);
      if (!(attribute in r.attributes)) throw new Error(`Fn::GetAtt: ${logicalId} (${r.type}) has no attribute ${attribute} in the local cloud.`);
      return r.attributes[attribute];
    },
  };
  ctx.conditions = evaluateConditions(template, ctx);
  const pctx: ProvisionContext = {
    stack,
    serviceDir: options.serviceDir,
    region: options.region,
    accountId: options.accountId,
    // Like CloudFormation: stack and logical id, cut to fit, then a random suffix.
    generatedName: (logicalId, max = 64) => `${`${options.stackName}-${logicalId}`.slice(0, max - 13)}-${randomBytes(6).toString('hex').toUpperCase()}`,
  };

  for (const logicalId of dependencyOrder(template)) {
    const resource = template.Resources[logicalId];
    if (resource.Condition && !ctx.conditions[resource.Condition]) continue;
    const provisioner = options.provisioners[resource.Type];
    if (!provisioner) {
      if (!QUIET_TYPES.has(resource.Type)) {
        warn(`${logicalId} (${resource.Type}) is not supported by the local cloud: it was skipped. It will exist on AWS; nothing that depends on it can be checked locally.`);
      }
      stack.resources.set(logicalId, { logicalId, type: resource.Type, physicalId: quietPhysicalId(logicalId, resource.Type, pctx), properties: {}, attributes: { Arn: `arn:aws:local:${options.region}:${options.accountId}:${logicalId}` } });
      continue;
    }
    const properties = resolveValue(resource.Properties ?? {}, ctx, `${logicalId}.Properties`) as Record<string, any>;
    const out = await provisioner(logicalId, properties, pctx);
    stack.resources.set(logicalId, { logicalId, type: resource.Type, physicalId: out.ref, properties, attributes: out.attributes ?? {} });
  }

  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    try {
      stack.outputs[name] = resolveValue(output.Value, ctx, `Outputs.${name}`);
    } catch (err) {
      warn(`Output ${name} could not be resolved locally: ${(err as Error).message}`);
    }
  }
  return stack;
}

function quietPhysicalId(logicalId: string, type: string, ctx: ProvisionContext): string {
  if (type === 'AWS::Logs::LogGroup') return `/aws/lambda/${logicalId}`;
  return ctx.generatedName(logicalId);
}

/** `functions/createVirus/handler.main` → the source file it was built from, and `main`. */
export function handlerSource(serviceDir: string, handler: string): { sourceFile: string; exportName: string; found: boolean } {
  const dot = handler.lastIndexOf('.');
  const base = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  for (const ext of ['.ts', '.mts', '.js', '.mjs', '.cjs']) {
    const file = join(serviceDir, base + ext);
    if (existsSync(file)) return { sourceFile: file, exportName, found: true };
  }
  return { sourceFile: join(serviceDir, `${base}.ts`), exportName, found: false };
}
