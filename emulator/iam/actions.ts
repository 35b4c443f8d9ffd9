/**
 * What IAM checks for an API call: which action on which resource ARNs. Most calls need one
 * action on one resource (`PutItem` → `dynamodb:PutItem` on the table). Some need one action
 * on several (`BatchWriteItem` on each table, `PutEvents` on each bus), and transactions need
 * a different action per item (`TransactWriteItems` → `dynamodb:PutItem`, `dynamodb:UpdateItem`,
 * `dynamodb:DeleteItem`, `dynamodb:ConditionCheckItem` on each item's table), so `checks` holds
 * every (action, resource) pair; `action` and `resources` are the first action and its resources.
 */
import {
  dynamodbTableArn,
  eventBusArn,
  eventRuleArn,
  lambdaFunctionArn,
  stateMachineArn,
  type ArnContext,
} from './arns.ts';

export type IamService = 'dynamodb' | 'lambda' | 'events' | 'states' | 'scheduler' | 'sqs';

export interface IamCheck {
  action: string;
  resource: string;
}

export interface IamRequirement {
  action: string;
  resources: string[];
  checks: IamCheck[];
}

export function iamActionFor(
  service: IamService,
  apiAction: string,
  request: unknown,
  ctx: ArnContext,
): IamRequirement {
  const input = isRecord(request) ? request : {};
  const checks = CHECKS[service](apiAction, input, ctx);
  return requirement(`${service}:${IAM_ACTION_NAMES[service][apiAction] ?? apiAction}`, checks);
}

// ---------------------------------------------------------------------------------------

type Input = Record<string, unknown>;
type Checks = (apiAction: string, input: Input, ctx: ArnContext) => IamCheck[];

/** API operations whose IAM action has another name. */
const IAM_ACTION_NAMES: Record<IamService, Record<string, string>> = {
  dynamodb: {},
  lambda: { Invoke: 'InvokeFunction', InvokeWithResponseStream: 'InvokeFunction' },
  events: {},
  states: {},
  scheduler: {},
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html:
  // a batch call is authorised as its single-message action.
  sqs: {
    SendMessageBatch: 'SendMessage',
    DeleteMessageBatch: 'DeleteMessage',
    ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
  },
};

const CHECKS: Record<IamService, Checks> = {
  dynamodb(apiAction, input, ctx) {
    const action = `dynamodb:${apiAction}`;
    const table = (name: unknown, index?: unknown) =>
      dynamodbTableArn(String(name), ctx, typeof index === 'string' ? index : undefined);
    switch (apiAction) {
      case 'BatchGetItem':
      case 'BatchWriteItem':
        return Object.keys(record(input.RequestItems)).map((name) => ({ action, resource: table(name) }));
      case 'TransactWriteItems':
      case 'TransactGetItems':
        return list(input.TransactItems).flatMap((item) => transactItemChecks(record(item), table));
      case 'ExecuteStatement':
        return [partiqlCheck(input.Statement, table)];
      case 'BatchExecuteStatement':
        return list(input.Statements).map((s) => partiqlCheck(record(s).Statement, table));
      case 'ExecuteTransaction':
        return list(input.TransactStatements).map((s) => partiqlCheck(record(s).Statement, table));
      case 'ListTables':
      case 'DescribeLimits':
      case 'DescribeEndpoints':
        return [{ action, resource: '*' }];
      default:
        if (typeof input.TableName === 'string')
          return [{ action, resource: table(input.TableName, input.IndexName) }];
        if (typeof input.ResourceArn === 'string') return [{ action, resource: input.ResourceArn }];
        // The streams API: a stream's ARN (GetRecords' is its iterator's stream).
        if (typeof input.StreamArn === 'string') return [{ action, resource: input.StreamArn }];
        return [{ action, resource: '*' }];
    }
  },

  lambda(apiAction, input, ctx) {
    const action = `lambda:${IAM_ACTION_NAMES.lambda[apiAction] ?? apiAction}`;
    if (typeof input.FunctionName !== 'string') return [{ action, resource: '*' }];
    return [
      {
        action,
        resource: lambdaFunctionArn(
          input.FunctionName,
          ctx,
          typeof input.Qualifier === 'string' ? input.Qualifier : undefined,
        ),
      },
    ];
  },

  events(apiAction, input, ctx) {
    const action = `events:${apiAction}`;
    const bus = typeof input.EventBusName === 'string' ? input.EventBusName : undefined;
    switch (apiAction) {
      case 'PutEvents': {
        const entries = list(input.Entries);
        const buses = entries.length ? entries.map((e) => record(e).EventBusName) : [undefined];
        return buses.map((b) => ({
          action,
          resource: eventBusArn(typeof b === 'string' ? b : undefined, ctx),
        }));
      }
      case 'PutRule':
      case 'DescribeRule':
      case 'DeleteRule':
      case 'EnableRule':
      case 'DisableRule':
        return [{ action, resource: eventRuleArn(String(input.Name), bus, ctx) }];
      case 'PutTargets':
      case 'RemoveTargets':
      case 'ListTargetsByRule':
        return [{ action, resource: eventRuleArn(String(input.Rule), bus, ctx) }];
      case 'CreateEventBus':
      case 'DeleteEventBus':
      case 'DescribeEventBus':
      case 'UpdateEventBus':
        return [
          { action, resource: eventBusArn(typeof input.Name === 'string' ? input.Name : undefined, ctx) },
        ];
      default:
        return [{ action, resource: '*' }];
    }
  },

  states(apiAction, input, ctx) {
    const action = `states:${apiAction}`;
    if (typeof input.stateMachineArn === 'string') return [{ action, resource: input.stateMachineArn }];
    if (typeof input.executionArn === 'string') return [{ action, resource: input.executionArn }];
    if (typeof input.mapRunArn === 'string') return [{ action, resource: input.mapRunArn }];
    if (apiAction === 'CreateStateMachine' && typeof input.name === 'string')
      return [{ action, resource: stateMachineArn(input.name, ctx) }];
    // SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat and the List calls act on no named resource.
    return [{ action, resource: '*' }];
  },

  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridgescheduler.html:
  // a schedule is arn:…:schedule/GROUP/NAME, a group arn:…:schedule-group/NAME; creating or
  // updating a schedule also passes its target's role to Scheduler (iam:PassRole).
  scheduler(apiAction, input, ctx) {
    const action = `scheduler:${apiAction}`;
    const name = typeof input.Name === 'string' ? input.Name : '*';
    const group = typeof input.GroupName === 'string' ? input.GroupName : 'default';
    const base = `arn:${ctx.partition ?? 'aws'}:scheduler:${ctx.region}:${ctx.accountId}`;
    switch (apiAction) {
      case 'CreateSchedule':
      case 'UpdateSchedule': {
        const role = record(input.Target).RoleArn;
        const checks = [{ action, resource: `${base}:schedule/${group}/${name}` }];
        return typeof role === 'string' ? [...checks, { action: 'iam:PassRole', resource: role }] : checks;
      }
      case 'GetSchedule':
      case 'DeleteSchedule':
        return [{ action, resource: `${base}:schedule/${group}/${name}` }];
      case 'CreateScheduleGroup':
      case 'GetScheduleGroup':
      case 'DeleteScheduleGroup':
        return [{ action, resource: `${base}:schedule-group/${name}` }];
      case 'TagResource':
      case 'UntagResource':
      case 'ListTagsForResource':
        return [{ action, resource: String(input.ResourceArn) }];
      default:
        return [{ action, resource: '*' }];
    }
  },

  sqs: sqsChecks,
};

// A queue is arn:…:sqs:REGION:ACCOUNT:NAME; its URL ends with /ACCOUNT/NAME.
function sqsChecks(apiAction: string, input: Input, ctx: ArnContext): IamCheck[] {
  const action = `sqs:${IAM_ACTION_NAMES.sqs[apiAction] ?? apiAction}`;
  const base = `arn:${ctx.partition ?? 'aws'}:sqs:${ctx.region}`;
  if (typeof input.QueueUrl === 'string') {
    const [account, name] = input.QueueUrl.replace(/\/+$/, '').split('/').slice(-2);
    return [{ action, resource: `${base}:${/^\d{12}$/.test(account) ? account : ctx.accountId}:${name}` }];
  }
  if (typeof input.QueueName === 'string')
    return [{ action, resource: `${base}:${ctx.accountId}:${input.QueueName}` }];
  return [{ action, resource: '*' }];
}

const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};

/** A transaction item is authorised as the single-item operation it performs. */
function transactItemChecks(item: Input, table: (name: unknown) => string): IamCheck[] {
  return Object.entries(item)
    .filter(([kind]) => kind in TRANSACT_ACTIONS)
    .map(([kind, operation]) => ({
      action: TRANSACT_ACTIONS[kind],
      resource: table(record(operation).TableName),
    }));
}

/** PartiQL is authorised per statement kind, on the table (or index) it names. */
function partiqlCheck(statement: unknown, table: (name: unknown, index?: unknown) => string): IamCheck {
  const text = typeof statement === 'string' ? statement : '';
  const verb = /^\s*(select|insert|update|delete)\b/i.exec(text)?.[1].toLowerCase() ?? 'select';
  const action = `dynamodb:PartiQL${verb[0].toUpperCase()}${verb.slice(1)}`;
  const name = String.raw`("(?:[^"]|"")+"|[A-Za-z0-9_-]+)`;
  const target = new RegExp(String.raw`\b(?:from|into|update)\s+${name}(?:\s*\.\s*${name})?`, 'i').exec(text);
  if (!target) return { action, resource: '*' };
  const unquote = (s: string | undefined) => (s?.startsWith('"') ? s.slice(1, -1).replaceAll('""', '"') : s);
  return { action, resource: table(unquote(target[1]), unquote(target[2])) };
}

function requirement(defaultAction: string, checks: IamCheck[]): IamRequirement {
  const unique = checks.filter(
    (c, i) => checks.findIndex((o) => o.action === c.action && o.resource === c.resource) === i,
  );
  const action = unique[0]?.action ?? defaultAction;
  return {
    action,
    resources: unique.filter((c) => c.action === action).map((c) => c.resource),
    checks: unique,
  };
}

function isRecord(value: unknown): value is Input {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown): Input {
  return isRecord(value) ? value : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
