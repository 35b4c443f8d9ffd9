/**
 * The ARNs IAM checks requests against, built from what an API call names: a table name or
 * ARN, a function name in any of Lambda's forms, an event bus name or ARN, and so on. Shapes
 * follow the Service Authorization Reference for each service.
 */
export interface ArnContext {
  region: string;
  accountId: string;
  partition?: string;
}

/** `viruses` or a table ARN (DynamoDB accepts both) → `arn:aws:dynamodb:REGION:ACCOUNT:table/viruses[/index/INDEX]`. */
export function dynamodbTableArn(tableNameOrArn: string, ctx: ArnContext, indexName?: string): string {
  const table = tableNameOrArn.startsWith('arn:')
    ? tableNameOrArn
    : `arn:${partition(ctx)}:dynamodb:${ctx.region}:${ctx.accountId}:table/${tableNameOrArn}`;
  return indexName ? `${table}/index/${indexName}` : table;
}

/**
 * A Lambda function in any form Lambda accepts — `name`, `name:alias`, `123456789012:function:name`,
 * or a full ARN, each optionally qualified — as `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`.
 * A separate `Qualifier` parameter qualifies an unqualified name.
 */
export function lambdaFunctionArn(functionName: string, ctx: ArnContext, qualifier?: string): string {
  let region = ctx.region;
  let account = ctx.accountId;
  let arnPartition = partition(ctx);
  let rest = functionName;
  const full = /^arn:([^:]+):lambda:([^:]*):([^:]*):function:(.+)$/.exec(functionName);
  const partial = /^(\d{12}):function:(.+)$/.exec(functionName);
  if (full) [, arnPartition, region, account, rest] = full;
  else if (partial) [, account, rest] = partial;
  const qualified = rest.includes(':') || !qualifier ? rest : `${rest}:${qualifier}`;
  return `arn:${arnPartition}:lambda:${region}:${account}:function:${qualified}`;
}

/** A bus name or ARN; no name means the account's `default` bus. */
export function eventBusArn(busNameOrArn: string | undefined, ctx: ArnContext): string {
  if (busNameOrArn?.startsWith('arn:')) return busNameOrArn;
  return `arn:${partition(ctx)}:events:${ctx.region}:${ctx.accountId}:event-bus/${busNameOrArn || 'default'}`;
}

/** Rules on the default bus are `rule/NAME`; on another bus, `rule/BUS/NAME`. */
export function eventRuleArn(ruleName: string, busNameOrArn: string | undefined, ctx: ArnContext): string {
  if (ruleName.startsWith('arn:')) return ruleName;
  const bus = busNameOrArn?.startsWith('arn:')
    ? busNameOrArn.slice(busNameOrArn.indexOf('event-bus/') + 'event-bus/'.length)
    : busNameOrArn;
  const path = bus && bus !== 'default' ? `${bus}/${ruleName}` : ruleName;
  return `arn:${partition(ctx)}:events:${ctx.region}:${ctx.accountId}:rule/${path}`;
}

export function stateMachineArn(name: string, ctx: ArnContext): string {
  return `arn:${partition(ctx)}:states:${ctx.region}:${ctx.accountId}:stateMachine:${name}`;
}

function partition(ctx: ArnContext): string {
  return ctx.partition ?? 'aws';
}
