/**
 * IAM at the gateway: a call signed by a Lambda sandbox is checked against its function's
 * role, like AWS does, so a forgotten permission fails locally with AWS's own
 * AccessDeniedException instead of surprising the learner on AWS. Outside clients (tests,
 * the checker, the CLI) act as the account's administrator.
 */
import { AwsError } from '../core/errors.ts';
import { accessDeniedMessage, evaluate, type PolicyStatement } from '../iam/policy.ts';
import { iamActionFor, type IamService } from '../iam/actions.ts';
import type { GatewayRequest } from './server.ts';

export type { IamService };

export interface Authorizer {
  enforce: boolean;
  authorize(req: GatewayRequest, service: IamService, action: string, input: unknown): void;
}

export function createAuthorizer(options: {
  enforce: boolean;
  region: string;
  accountId: string;
  statementsForRole(roleArn: string): PolicyStatement[] | undefined;
}): Authorizer {
  const authorizer: Authorizer = {
    enforce: options.enforce,
    authorize(req, service, apiAction, input) {
      const caller = req.caller;
      if (!authorizer.enforce || !caller) return;
      const statements = (caller.roleArn && options.statementsForRole(caller.roleArn)) || [];
      const { checks } = iamActionFor(service, apiAction, input, {
        region: options.region,
        accountId: options.accountId,
      });
      const roleName = caller.roleArn?.split('/').pop() ?? 'no-role';
      const principalArn = `arn:aws:sts::${options.accountId}:assumed-role/${roleName}/${caller.functionName}`;
      // A transaction is several checks (one action per item); every one must pass.
      for (const { action, resource } of checks) {
        const decision = evaluate(statements, action, resource);
        if (decision !== 'allowed') {
          throw new AwsError(
            'AccessDeniedException',
            accessDeniedMessage({ principalArn, action, resource, kind: decision }),
            service === 'lambda' || service === 'scheduler' ? 403 : 400,
          );
        }
      }
    },
  };
  return authorizer;
}
