/**
 * The contract between the deployer and each service: a resource provider makes, changes and
 * removes one resource type, with CloudFormation's lifecycle (create, update or replace,
 * delete). Each service's `provisioners.ts` exports `<service>Providers(deps)`, a record of
 * providers keyed by resource type (`AWS::DynamoDB::Table`, ...).
 */
import type { Template } from './package.ts';

/** What a provider made: what `Ref` and `Fn::GetAtt` give. */
export interface Provisioned {
  /** What `Ref` returns (the physical id). */
  ref: string;
  /** What `Fn::GetAtt` returns, by attribute name. */
  attributes?: Record<string, unknown>;
}

export interface ProvisionContext {
  stackName: string;
  serviceDir: string;
  region: string;
  accountId: string;
  /** A physical name like CloudFormation would generate one: stack, logical id, random suffix. */
  generatedName(logicalId: string, maxLength?: number): string;
}

/** A resource as it stands in the local cloud after a deploy. */
export interface DeployedResource {
  logicalId: string;
  type: string;
  physicalId: string;
  /** Its properties, intrinsics resolved: a redeploy compares these to decide what changed. */
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
  /** What this deploy did, by logical id (a first deploy creates everything). */
  changes: StackChange[];
}

export type ChangeAction = 'create' | 'update' | 'replace' | 'keep' | 'delete';

export interface StackChange {
  logicalId: string;
  type: string;
  action: ChangeAction;
}

export interface ResourceProvider {
  /** Makes the resource; returns what Ref and Fn::GetAtt give. */
  create(
    logicalId: string,
    properties: Record<string, any>,
    ctx: ProvisionContext,
  ): Promise<Provisioned> | Provisioned;
  /**
   * Changes it in place when its resolved properties changed; return 'replace' (or leave
   * update out) when CloudFormation would replace it: then the new one is created first and
   * the old one deleted in the cleanup phase.
   */
  update?(
    logicalId: string,
    properties: Record<string, any>,
    previous: DeployedResource,
    ctx: ProvisionContext,
  ): Promise<Provisioned | 'replace'> | Provisioned | 'replace';
  /** Removes what create made (gone from the template, replaced, or the stack deleted). */
  delete(resource: DeployedResource, ctx: ProvisionContext): Promise<void> | void;
}

/** The error a provider throws when its service refuses: names the resource, as CloudFormation's events do. */
export function resourceError(logicalId: string, type: string, err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  if (message.startsWith(`Resource ${logicalId} (`)) return err as Error;
  const e = new Error(`Resource ${logicalId} (${type}): ${message}`);
  e.name = err instanceof Error ? err.name : 'Error';
  return e;
}

/**
 * CloudFormation's refusal when a change needs a new resource but the template fixes its
 * name: the new one cannot take the name while the old one holds it. Same words as AWS.
 */
export function customNameReplacement(logicalId: string, type: string, name: string): Error {
  return new Error(
    `Resource ${logicalId} (${type}): CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${name} and update the stack again. ` +
      '(The change needs a new resource; on AWS it fails the same way. Give it a new name, or leave the name out so CloudFormation generates one.)',
  );
}

/** Whether a property changed between two resolved property sets (deep, key order ignored). */
export function changed(a: unknown, b: unknown): boolean {
  return canonical(a) !== canonical(b);
}

function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
          )
        : v,
    ) ?? 'undefined'
  );
}
