/**
 * AWS::IAM::Role from a template: its inline policy statements, which the gateway checks
 * each call of a Lambda against. New policies update it in place; a new name or path
 * replaces it (its ARN changes).
 */
import type { ResourceProvider } from '../stack/provider.ts';
import type { PolicyStatement } from './policy.ts';

const TYPE = 'AWS::IAM::Role';

export function iamProviders(deps: {
  roles: Map<string, PolicyStatement[]>;
  warn(message: string): void;
}): Record<string, ResourceProvider> {
  const { roles, warn } = deps;
  const put = (logicalId: string, name: string, p: Record<string, any>, accountId: string) => {
    const arn = roleArn(accountId, p.Path, name);
    const statements: PolicyStatement[] = [];
    for (const policy of p.Policies ?? []) {
      const st = policy.PolicyDocument?.Statement ?? [];
      statements.push(...(Array.isArray(st) ? st : [st]));
    }
    if ((p.ManagedPolicyArns ?? []).length) {
      warn(
        `${logicalId}: managed policies (${p.ManagedPolicyArns.join(', ')}) are not evaluated locally; only the role's inline statements are.`,
      );
    }
    roles.set(arn, statements);
    return { ref: name, attributes: { Arn: arn, RoleId: `AROA${logicalId.toUpperCase().slice(0, 16)}` } };
  };
  return {
    [TYPE]: {
      create: (logicalId, p, ctx) =>
        put(logicalId, p.RoleName ?? ctx.generatedName(logicalId), p, ctx.accountId),
      update(logicalId, p, previous, ctx) {
        if (p.RoleName !== previous.properties.RoleName || p.Path !== previous.properties.Path)
          return 'replace';
        return put(logicalId, previous.physicalId, p, ctx.accountId);
      },
      delete(resource, ctx) {
        roles.delete(roleArn(ctx.accountId, resource.properties.Path, resource.physicalId));
      },
    },
  };
}

function roleArn(accountId: string, path: string | undefined, name: string): string {
  return `arn:aws:iam::${accountId}:role${path ?? '/'}${name}`;
}
