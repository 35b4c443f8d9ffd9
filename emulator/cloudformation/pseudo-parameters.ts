/**
 * CloudFormation's pseudo parameters (`AWS::Region`, `AWS::AccountId`, ...), the values a
 * template can `Ref` without declaring them. `AWS::NoValue` is listed but has no value: the
 * resolver turns it into "remove this property".
 */
import { createHash } from 'node:crypto';

export const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
] as const;

export interface PseudoContext {
  stackName: string;
  region: string;
  accountId: string;
  partition?: string;
}

export function isPseudoParameter(name: string): boolean {
  return (PSEUDO_PARAMETERS as readonly string[]).includes(name);
}

/** The value of a pseudo parameter other than `AWS::NoValue`; undefined for unknown names. */
export function pseudoParameterValue(name: string, ctx: PseudoContext): unknown {
  const partition = ctx.partition ?? 'aws';
  switch (name) {
    case 'AWS::AccountId':
      return ctx.accountId;
    case 'AWS::NotificationARNs':
      return [];
    case 'AWS::Partition':
      return partition;
    case 'AWS::Region':
      return ctx.region;
    case 'AWS::StackId':
      return stackId(ctx);
    case 'AWS::StackName':
      return ctx.stackName;
    case 'AWS::URLSuffix':
      return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
    default:
      return undefined;
  }
}

/**
 * A stack id shaped like AWS's (`arn:aws:cloudformation:...:stack/<name>/<uuid>`). The uuid is
 * derived from the stack's name, account and region so that every resolution agrees.
 */
export function stackId(ctx: PseudoContext): string {
  const hex = createHash('sha256').update(`${ctx.accountId}/${ctx.region}/${ctx.stackName}`).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return `arn:${ctx.partition ?? 'aws'}:cloudformation:${ctx.region}:${ctx.accountId}:stack/${ctx.stackName}/${uuid}`;
}

/** What `Fn::GetAZs` returns locally: three zones, as most regions have. */
export function availabilityZones(region: string): string[] {
  return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
}
