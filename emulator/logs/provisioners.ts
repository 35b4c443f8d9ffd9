/**
 * AWS::Logs::LogGroup, which osls emits for each function (`/aws/lambda/<function>`): the
 * group, with its retention. Ref is the group's name, Arn its ARN with `:*`, as CloudFormation
 * gives them. A new name replaces it; a new retention is changed in place.
 */
import type { ResourceProvider } from '../stack/provider.ts';
import type { LogsService } from './service.ts';

export function logsProviders(deps: { logs: LogsService }): Record<string, ResourceProvider> {
  const { logs } = deps;
  const provisioned = (name: string) => ({ ref: name, attributes: { Arn: `${logs.groupArn(name)}:*` } });
  const retention = (p: Record<string, any>) =>
    p.RetentionInDays === undefined ? undefined : Number(p.RetentionInDays);
  return {
    'AWS::Logs::LogGroup': {
      create(logicalId, p, ctx) {
        const name = p.LogGroupName ?? ctx.generatedName(logicalId, 512);
        logs.createLogGroup(name, retention(p));
        return provisioned(name);
      },
      update(_logicalId, p, previous) {
        if ((p.LogGroupName ?? previous.physicalId) !== previous.physicalId) return 'replace';
        logs.putRetentionPolicy(previous.physicalId, retention(p));
        return provisioned(previous.physicalId);
      },
      delete(resource) {
        try {
          logs.deleteLogGroup(resource.physicalId);
        } catch {
          // Already gone (deleted through the API): CloudFormation's delete succeeds too.
        }
      },
    },
  };
}
