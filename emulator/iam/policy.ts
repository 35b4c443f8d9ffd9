/**
 * IAM policy evaluation for identity-based policies, as AWS does it for a request within one
 * account: an explicit Deny in any statement wins; otherwise an Allow allows; otherwise the
 * request is implicitly denied. Plus the AccessDenied message AWS sends, word for word.
 *
 * Condition blocks are not evaluated locally (the local cloud has none of the request context
 * they test). A statement with a Condition is read in the caller's favour: an Allow applies,
 * a Deny does not. The reference docs say so.
 */
import { actionMatches, resourceMatches } from './match.ts';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, unknown>;
}

export type Decision = 'allowed' | 'explicit-deny' | 'implicit-deny';

export function evaluate(statements: readonly PolicyStatement[], action: string, resource: string): Decision {
  let allowed = false;
  for (const statement of statements) {
    if (!applies(statement, action, resource)) continue;
    if (statement.Effect === 'Deny' && statement.Condition === undefined) return 'explicit-deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allowed' : 'implicit-deny';
}

/**
 * AWS's AccessDenied message for a denied identity-based request, e.g.
 *
 *   User: arn:aws:sts::123456789012:assumed-role/svc-local-eu-west-1-lambdaRole/svc-local-createVirus
 *   is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/viruses
 *   because no identity-based policy allows the dynamodb:PutItem action
 *
 * (one line), or `... with an explicit deny in an identity-based policy` for a Deny. AWS ends
 * neither with a period. Inline policies, the only kind the local cloud evaluates, carry no
 * policy ARN in the message.
 */
export function accessDeniedMessage(denial: {
  principalArn: string;
  action: string;
  resource: string;
  kind: Exclude<Decision, 'allowed'>;
}): string {
  const { principalArn, action, resource, kind } = denial;
  const why =
    kind === 'explicit-deny'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}

function applies(statement: PolicyStatement, action: string, resource: string): boolean {
  return (
    matchesEither(statement.Action, statement.NotAction, (pattern) => actionMatches(pattern, action)) &&
    matchesEither(statement.Resource, statement.NotResource, (pattern) => resourceMatches(pattern, resource))
  );
}

/** `Action` matches when a pattern does; `NotAction` when none does. Neither: no match. */
function matchesEither(
  positive: string | string[] | undefined,
  negative: string | string[] | undefined,
  matches: (pattern: string) => boolean,
): boolean {
  if (positive !== undefined) return patterns(positive).some(matches);
  if (negative !== undefined) return !patterns(negative).some(matches);
  return false;
}

/** Policy documents come from templates: tolerate a lone string and skip non-strings. */
function patterns(value: string | string[]): string[] {
  return (Array.isArray(value) ? value : [value]).filter((p): p is string => typeof p === 'string');
}
