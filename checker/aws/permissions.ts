/**
 * The IAM permissions a learner's identity needs for the --aws path, worked out from what
 * that path really does, so that the minimal policy in the guide
 * (docs/public/dojo-learner-policy.json) can be checked against it (test/aws/permissions.test.ts):
 *
 * - osls deploy and remove: the CloudFormation stack and its deployment bucket;
 * - CloudFormation creating, updating and deleting each resource of the template, which it
 *   does with the caller's permissions (no service role is used by the dojo);
 * - the checker's and doctor's own calls (CHECKER_CALLS, one entry per SDK command the
 *   checker sends; the test fails when a command is added without its entry).
 *
 * Actions per resource type follow each type's "Permissions" in the CloudFormation resource
 * schemas (handlers: create, read, update, delete), e.g.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html
 */
import { resolveValue, type StackContext, type Template } from '../../emulator/index.ts';

export interface Need {
  action: string;
  resource: string;
  /** Who needs it, for the test's failure message. */
  why: string;
}

export interface Where {
  stackName: string;
  region: string;
  accountId: string;
}

/** Actions CloudFormation needs on the caller's behalf, by resource type. */
const TYPE_ACTIONS: Record<
  string,
  { actions: string[]; arns(name: string, w: Where): string[]; passRole?: boolean }
> = {
  'AWS::DynamoDB::Table': {
    actions: [
      'dynamodb:CreateTable',
      'dynamodb:DescribeTable',
      'dynamodb:UpdateTable',
      'dynamodb:DeleteTable',
      'dynamodb:DescribeContinuousBackups',
      'dynamodb:UpdateContinuousBackups',
      'dynamodb:DescribeTimeToLive',
      'dynamodb:UpdateTimeToLive',
      'dynamodb:TagResource',
      'dynamodb:UntagResource',
      'dynamodb:ListTagsOfResource',
    ],
    arns: (name, w) => [`arn:aws:dynamodb:${w.region}:${w.accountId}:table/${name}`],
  },
  'AWS::IAM::Role': {
    actions: [
      'iam:CreateRole',
      'iam:GetRole',
      'iam:DeleteRole',
      'iam:PutRolePolicy',
      'iam:GetRolePolicy',
      'iam:DeleteRolePolicy',
      'iam:ListRolePolicies',
      'iam:ListAttachedRolePolicies',
      'iam:AttachRolePolicy',
      'iam:DetachRolePolicy',
      'iam:TagRole',
      'iam:UntagRole',
      'iam:UpdateAssumeRolePolicy',
    ],
    arns: (name, w) => [`arn:aws:iam::${w.accountId}:role/${name}`],
  },
  'AWS::Lambda::Function': {
    actions: [
      'lambda:CreateFunction',
      'lambda:GetFunction',
      'lambda:GetFunctionConfiguration',
      'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionConfiguration',
      'lambda:DeleteFunction',
      'lambda:TagResource',
      'lambda:UntagResource',
      'lambda:ListTags',
    ],
    arns: (name, w) => [`arn:aws:lambda:${w.region}:${w.accountId}:function:${name}`],
    passRole: true,
  },
  'AWS::Lambda::Version': {
    actions: [
      'lambda:PublishVersion',
      'lambda:ListVersionsByFunction',
      'lambda:GetFunctionConfiguration',
      'lambda:DeleteFunction',
    ],
    arns: (name, w) => [
      `arn:aws:lambda:${w.region}:${w.accountId}:function:${name}`,
      `arn:aws:lambda:${w.region}:${w.accountId}:function:${name}:1`,
    ],
  },
  'AWS::Lambda::Permission': {
    actions: ['lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetPolicy'],
    arns: (name, w) => [`arn:aws:lambda:${w.region}:${w.accountId}:function:${name}`],
  },
  // A stream event (session 3's bonus part): a mapping's ARN ends in a UUID Lambda picks, so the
  // policy cannot name the dojo's own; CreateEventSourceMapping takes no resource at all
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html) and
  // is held to the dojo's functions by the lambda:FunctionArn condition instead.
  'AWS::Lambda::EventSourceMapping': {
    actions: [
      'lambda:CreateEventSourceMapping',
      'lambda:GetEventSourceMapping',
      'lambda:UpdateEventSourceMapping',
      'lambda:DeleteEventSourceMapping',
    ],
    arns: (name, w) => [`arn:aws:lambda:${w.region}:${w.accountId}:event-source-mapping:${name}`],
  },
  'AWS::Logs::LogGroup': {
    actions: [
      'logs:CreateLogGroup',
      'logs:DeleteLogGroup',
      'logs:PutRetentionPolicy',
      'logs:DeleteRetentionPolicy',
      'logs:DescribeLogGroups',
      'logs:TagResource',
      'logs:UntagResource',
      'logs:ListTagsForResource',
    ],
    arns: (name, w) => [
      `arn:aws:logs:${w.region}:${w.accountId}:log-group:${name}`,
      `arn:aws:logs:${w.region}:${w.accountId}:log-group:${name}:*`,
    ],
  },
  'AWS::S3::Bucket': {
    actions: [
      's3:CreateBucket',
      's3:DeleteBucket',
      's3:ListBucket',
      's3:GetBucketLocation',
      's3:PutEncryptionConfiguration',
      's3:GetEncryptionConfiguration',
      's3:PutBucketPublicAccessBlock',
      's3:GetBucketPublicAccessBlock',
      's3:PutBucketTagging',
      's3:GetBucketTagging',
      's3:PutBucketOwnershipControls',
      's3:PutBucketVersioning',
      's3:GetBucketVersioning',
    ],
    arns: (name) => [`arn:aws:s3:::${name}`],
  },
  'AWS::S3::BucketPolicy': {
    actions: ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'],
    arns: (name) => [`arn:aws:s3:::${name}`],
  },
  // Session 5's part 2: the group of the tick schedules (its CloudFormation schema's handlers).
  'AWS::Scheduler::ScheduleGroup': {
    actions: [
      'scheduler:CreateScheduleGroup',
      'scheduler:GetScheduleGroup',
      'scheduler:DeleteScheduleGroup',
      'scheduler:TagResource',
      'scheduler:UntagResource',
      'scheduler:ListTagsForResource',
    ],
    arns: (name, w) => [`arn:aws:scheduler:${w.region}:${w.accountId}:schedule-group/${name}`],
  },
  'AWS::StepFunctions::StateMachine': {
    actions: [
      'states:CreateStateMachine',
      'states:DescribeStateMachine',
      'states:UpdateStateMachine',
      'states:DeleteStateMachine',
      'states:TagResource',
      'states:UntagResource',
      'states:ListTagsForResource',
    ],
    arns: (name, w) => [`arn:aws:states:${w.region}:${w.accountId}:stateMachine:${name}`],
    passRole: true,
  },
  'AWS::Events::Rule': {
    actions: [
      'events:PutRule',
      'events:DescribeRule',
      'events:DeleteRule',
      'events:PutTargets',
      'events:RemoveTargets',
      'events:ListTargetsByRule',
      'events:EnableRule',
      'events:DisableRule',
    ],
    arns: (name, w) => [
      `arn:aws:events:${w.region}:${w.accountId}:rule/${name}`,
      `arn:aws:events:${w.region}:${w.accountId}:rule/${w.stackName}/${name}`,
    ],
    passRole: true,
  },
  'AWS::Events::EventBus': {
    actions: [
      'events:CreateEventBus',
      'events:DescribeEventBus',
      'events:DeleteEventBus',
      'events:TagResource',
      'events:UntagResource',
      'events:ListTagsForResource',
    ],
    arns: (name, w) => [`arn:aws:events:${w.region}:${w.accountId}:event-bus/${name}`],
  },
  // The check's capture of the bus (checker/core/bus-capture.ts): queue and policy, removed with the stack.
  'AWS::SQS::Queue': {
    actions: [
      'sqs:CreateQueue',
      'sqs:GetQueueUrl',
      'sqs:GetQueueAttributes',
      'sqs:SetQueueAttributes',
      'sqs:DeleteQueue',
      'sqs:ListQueueTags',
      'sqs:TagQueue',
      'sqs:UntagQueue',
    ],
    arns: (name, w) => [`arn:aws:sqs:${w.region}:${w.accountId}:${name}`],
  },
  'AWS::SQS::QueuePolicy': {
    actions: ['sqs:SetQueueAttributes'],
    arns: (name, w) => [`arn:aws:sqs:${w.region}:${w.accountId}:${name}`],
  },
  // HTTP APIs have ARNs without names: API Gateway's permissions are HTTP verbs on paths.
  'AWS::ApiGatewayV2::Api': apiGateway(),
  'AWS::ApiGatewayV2::Stage': apiGateway(),
  'AWS::ApiGatewayV2::Integration': apiGateway(),
  'AWS::ApiGatewayV2::Route': apiGateway(),
  'AWS::ApiGatewayV2::Deployment': apiGateway(),
};

function apiGateway() {
  return {
    actions: ['apigateway:GET', 'apigateway:POST', 'apigateway:PATCH', 'apigateway:PUT', 'apigateway:DELETE'],
    arns: (_name: string, w: Where) => [
      `arn:aws:apigateway:${w.region}::/apis`,
      `arn:aws:apigateway:${w.region}::/apis/a1b2c3d4e5`,
      `arn:aws:apigateway:${w.region}::/apis/a1b2c3d4e5/routes/abc123`,
      `arn:aws:apigateway:${w.region}::/tags/a1b2c3d4e5`,
    ],
  };
}

/** Resource types the policy must cover (a template with another type fails the test). */
export const COVERED_TYPES = Object.keys(TYPE_ACTIONS);

/**
 * Every SDK command the checker and doctor send on the --aws path, with the IAM action it
 * needs and the resource it acts on.
 */
export const CHECKER_CALLS: Record<string, { action: string; resource(w: Where, name: string): string }> = {
  GetCallerIdentityCommand: { action: 'sts:GetCallerIdentity', resource: () => '*' },
  DescribeStacksCommand: { action: 'cloudformation:DescribeStacks', resource: () => '*' },
  DescribeStackResourcesCommand: {
    action: 'cloudformation:DescribeStackResources',
    resource: (w) => stackArn(w),
  },
  InvokeCommand: {
    action: 'lambda:InvokeFunction',
    resource: (w, name) => `arn:aws:lambda:${w.region}:${w.accountId}:function:${w.stackName}-${name}`,
  },
  ScanCommand: {
    action: 'dynamodb:Scan',
    resource: (w, name) => `arn:aws:dynamodb:${w.region}:${w.accountId}:table/${w.stackName}-${name}`,
  },
  GetItemCommand: {
    action: 'dynamodb:GetItem',
    resource: (w, name) => `arn:aws:dynamodb:${w.region}:${w.accountId}:table/${w.stackName}-${name}`,
  },
  GetCommand: {
    action: 'dynamodb:GetItem',
    resource: (w, name) => `arn:aws:dynamodb:${w.region}:${w.accountId}:table/${w.stackName}-${name}`,
  },
  PutCommand: {
    action: 'dynamodb:PutItem',
    resource: (w, name) => `arn:aws:dynamodb:${w.region}:${w.accountId}:table/${w.stackName}-${name}`,
  },
  // Session 3's bonus check deletes the viruses it wrote, to see the push of a kill.
  DeleteCommand: {
    action: 'dynamodb:DeleteItem',
    resource: (w, name) => `arn:aws:dynamodb:${w.region}:${w.accountId}:table/${w.stackName}-${name}`,
  },
  PutEventsCommand: {
    action: 'events:PutEvents',
    resource: (w) => `arn:aws:events:${w.region}:${w.accountId}:event-bus/${w.stackName}`,
  },
  DescribeRuleCommand: {
    action: 'events:DescribeRule',
    resource: (w, name) => `arn:aws:events:${w.region}:${w.accountId}:rule/${w.stackName}-${name}`,
  },
  DisableRuleCommand: {
    action: 'events:DisableRule',
    resource: (w, name) => `arn:aws:events:${w.region}:${w.accountId}:rule/${w.stackName}-${name}`,
  },
  StartExecutionCommand: {
    action: 'states:StartExecution',
    resource: (w, name) => `arn:aws:states:${w.region}:${w.accountId}:stateMachine:${w.stackName}-${name}`,
  },
  ListExecutionsCommand: {
    action: 'states:ListExecutions',
    resource: (w, name) => `arn:aws:states:${w.region}:${w.accountId}:stateMachine:${w.stackName}-${name}`,
  },
  DescribeExecutionCommand: {
    action: 'states:DescribeExecution',
    resource: (w, name) =>
      `arn:aws:states:${w.region}:${w.accountId}:execution:${w.stackName}-${name}:check-1`,
  },
  GetExecutionHistoryCommand: {
    action: 'states:GetExecutionHistory',
    resource: (w, name) =>
      `arn:aws:states:${w.region}:${w.accountId}:execution:${w.stackName}-${name}:check-1`,
  },
  StopExecutionCommand: {
    action: 'states:StopExecution',
    resource: (w, name) =>
      `arn:aws:states:${w.region}:${w.accountId}:execution:${w.stackName}-${name}:check-1`,
  },
  // The check's capture of the bus, read while it observes (checker/core/bus-capture.ts).
  ReceiveMessageCommand: {
    action: 'sqs:ReceiveMessage',
    resource: (w, name) => `arn:aws:sqs:${w.region}:${w.accountId}:${w.stackName}-${name}-1A2B3C4D5E6F`,
  },
  // npm run demo finds a session's functions, machines and API by the stage's prefix.
  ListFunctionsCommand: { action: 'lambda:ListFunctions', resource: () => '*' },
  GetFunctionCommand: {
    action: 'lambda:GetFunction',
    resource: (w, name) => `arn:aws:lambda:${w.region}:${w.accountId}:function:${w.stackName}-${name}`,
  },
  ListStateMachinesCommand: { action: 'states:ListStateMachines', resource: () => '*' },
  GetApisCommand: { action: 'apigateway:GET', resource: (w) => `arn:aws:apigateway:${w.region}::/apis` },
  // npm run deploy (local) removes a stack a failed first deploy left in ROLLBACK_COMPLETE.
  DeleteStackCommand: { action: 'cloudformation:DeleteStack', resource: (w) => stackArn(w) },
  // Session 5 reads the tick schedules of part 2: ListSchedules names no resource on AWS.
  ListSchedulesCommand: { action: 'scheduler:ListSchedules', resource: () => '*' },
  GetScheduleCommand: {
    action: 'scheduler:GetSchedule',
    resource: (w) => `arn:aws:scheduler:${w.region}:${w.accountId}:schedule/${w.stackName}-ticks/tick-1`,
  },
  // Task tokens name no resource: these actions take "*" on AWS.
  SendTaskSuccessCommand: { action: 'states:SendTaskSuccess', resource: () => '*' },
  SendTaskFailureCommand: { action: 'states:SendTaskFailure', resource: () => '*' },
};

function stackArn(w: Where): string {
  return `arn:aws:cloudformation:${w.region}:${w.accountId}:stack/${w.stackName}/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
}

/** What osls deploy and remove do themselves, around CloudFormation. */
function oslsNeeds(w: Where, bucket: string): Need[] {
  const stack = stackArn(w);
  const stackActions = [
    'CreateStack',
    'UpdateStack',
    'DeleteStack',
    'DescribeStacks',
    'DescribeStackEvents',
    'DescribeStackResource',
    'DescribeStackResources',
    'ListStackResources',
    'GetTemplate',
    'CreateChangeSet',
    'DescribeChangeSet',
    'ExecuteChangeSet',
    'DeleteChangeSet',
  ];
  return [
    ...stackActions.map((a) => ({
      action: `cloudformation:${a}`,
      resource: stack,
      why: `osls deploy/remove: cloudformation:${a} on the stack`,
    })),
    {
      action: 'cloudformation:ValidateTemplate',
      resource: '*',
      why: 'osls deploy validates the template first',
    },
    ...['s3:PutObject', 's3:GetObject', 's3:DeleteObject'].map((action) => ({
      action,
      resource: `arn:aws:s3:::${bucket}/serverless/x/local/1-2/dojo-serverless.zip`,
      why: `osls deploy uploads the package (${action})`,
    })),
    ...['s3:ListBucket', 's3:GetBucketLocation'].map((action) => ({
      action,
      resource: `arn:aws:s3:::${bucket}`,
      why: `osls deploy/remove lists the deployment bucket (${action})`,
    })),
  ];
}

/**
 * Every permission one check or deploy + teardown of this template needs on AWS. Physical
 * names the template leaves to CloudFormation get the shape CloudFormation gives them:
 * `<stack>-<logical id>-<random>` (lowercase for buckets).
 */
export function permissionsNeeded(template: Template, w: Where): Need[] {
  const bucket = `${w.stackName}-serverlessdeploymentbucket-1a2b3c4d5e6f`;
  const names = physicalNames(template, w, bucket);
  const needs: Need[] = [...oslsNeeds(w, bucket)];
  for (const [logicalId, r] of Object.entries(template.Resources)) {
    const entry = TYPE_ACTIONS[r.Type];
    if (!entry) continue;
    for (const arn of entry.arns(names(logicalId), w)) {
      for (const action of entry.actions)
        needs.push({ action, resource: arn, why: `CloudFormation on ${logicalId} (${r.Type})` });
    }
    if (r.Type === 'AWS::IAM::Role') {
      needs.push({
        action: 'iam:PassRole',
        resource: `arn:aws:iam::${w.accountId}:role/${names(logicalId)}`,
        why: `CloudFormation gives ${logicalId} to a function, state machine or rule`,
      });
    }
  }
  return needs;
}

/** The types in a template that the policy does not know: the test names them. */
export function uncoveredTypes(template: Template): string[] {
  return [...new Set(Object.values(template.Resources).map((r) => r.Type))].filter((t) => !TYPE_ACTIONS[t]);
}

/** Each resource's physical name as AWS would give it, from the template's own intrinsics. */
function physicalNames(template: Template, w: Where, bucket: string): (logicalId: string) => string {
  const known = new Map<string, string>();
  const ctx: StackContext = {
    stackName: w.stackName,
    region: w.region,
    accountId: w.accountId,
    conditions: {},
    ref: (id) => name(id),
    getAtt: (id) => `arn:aws:lambda:${w.region}:${w.accountId}:function:${name(id)}`,
  };
  const name = (logicalId: string): string => {
    const cached = known.get(logicalId);
    if (cached) return cached;
    const r = template.Resources[logicalId];
    const p = (resolveValue(r?.Properties ?? {}, ctx, logicalId) ?? {}) as Record<string, unknown>;
    let out: string;
    if (r?.Type === 'AWS::S3::Bucket' || r?.Type === 'AWS::S3::BucketPolicy') out = bucket;
    else if (r?.Type === 'AWS::Lambda::Version' || r?.Type === 'AWS::Lambda::Permission')
      out = String(p.FunctionName).split(':').at(-1)!;
    // A queue policy acts on the queue it names (by its URL, whose last part is the name).
    else if (r?.Type === 'AWS::SQS::QueuePolicy') out = String([p.Queues].flat()[0]).split('/').at(-1)!;
    else {
      const given =
        p.FunctionName ??
        p.TableName ??
        p.StateMachineName ??
        p.RoleName ??
        p.LogGroupName ??
        p.BucketName ??
        (r?.Type === 'AWS::Events::EventBus' || r?.Type === 'AWS::Scheduler::ScheduleGroup'
          ? p.Name
          : undefined);
      out = typeof given === 'string' ? given : `${w.stackName}-${logicalId}-1A2B3C4D5E6F`;
    }
    known.set(logicalId, out);
    return out;
  };
  return name;
}
