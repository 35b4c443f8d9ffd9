/**
 * What a Task's `Resource` means to the local cloud: which service it calls, how the
 * history shows it (a plain Lambda ARN gets LambdaFunction* events, a service integration
 * gets Task* events with AWS's resourceType/resource names), and whether it waits for a
 * task token.
 */
export type TaskService =
  | 'lambda-function'
  | 'lambda-invoke'
  | 'events-put'
  | 'dynamodb'
  | 'sdk-dynamodb'
  | 'sdk-events-put'
  | 'sfn-start';

export interface TaskResource {
  arn: string;
  service: TaskService;
  /** History: LambdaFunction* events for a function ARN, Task* events otherwise. */
  style: 'lambda-function' | 'service';
  /** As history events name it: `lambda`, `events`, `dynamodb`, `states`, `aws-sdk:dynamodb`. */
  resourceType: string;
  /** As history events name it: `invoke`, `putEvents.waitForTaskToken`, `putItem`... */
  resource: string;
  /** The DynamoDB API action, for DynamoDB integrations. */
  action?: string;
  waitForTaskToken: boolean;
}

/** Listed in the error a Task with any other resource fails with. */
export const SUPPORTED_RESOURCES = [
  'arn:aws:lambda:REGION:ACCOUNT:function:NAME',
  'arn:aws:states:::lambda:invoke',
  'arn:aws:states:::lambda:invoke.waitForTaskToken',
  'arn:aws:states:::events:putEvents',
  'arn:aws:states:::events:putEvents.waitForTaskToken',
  'arn:aws:states:::dynamodb:putItem',
  'arn:aws:states:::dynamodb:getItem',
  'arn:aws:states:::dynamodb:updateItem',
  'arn:aws:states:::dynamodb:deleteItem',
  'arn:aws:states:::states:startExecution',
  'arn:aws:states:::states:startExecution.waitForTaskToken',
  'arn:aws:states:::aws-sdk:dynamodb:<action>',
  'arn:aws:states:::aws-sdk:eventbridge:putEvents',
];

const LAMBDA_FUNCTION = /^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/;
const INTEGRATION = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:(.+)$/;
const DYNAMODB_ITEM_ACTIONS: Record<string, string> = {
  putItem: 'PutItem',
  getItem: 'GetItem',
  updateItem: 'UpdateItem',
  deleteItem: 'DeleteItem',
};

/** Returns undefined for a resource the local cloud cannot run. */
export function classifyResource(arn: string): TaskResource | undefined {
  if (LAMBDA_FUNCTION.test(arn)) {
    return {
      arn,
      service: 'lambda-function',
      style: 'lambda-function',
      resourceType: 'lambda',
      resource: arn,
      waitForTaskToken: false,
    };
  }
  const m = INTEGRATION.exec(arn);
  if (!m) return undefined;
  const path = m[1];
  const sdk = /^aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(path);
  if (sdk) {
    const [, service, action] = sdk;
    const base = {
      arn,
      style: 'service' as const,
      resourceType: `aws-sdk:${service}`,
      resource: action,
      waitForTaskToken: false,
    };
    if (service === 'dynamodb') return { ...base, service: 'sdk-dynamodb', action: pascal(action) };
    if (service === 'eventbridge' && action === 'putEvents') return { ...base, service: 'sdk-events-put' };
    return undefined;
  }
  const svc = /^([a-z0-9-]+):([A-Za-z0-9]+)(\.waitForTaskToken)?$/.exec(path);
  if (!svc) return undefined;
  const [, resourceType, action, wait] = svc;
  const waitForTaskToken = wait !== undefined;
  const base = {
    arn,
    style: 'service' as const,
    resourceType,
    resource: `${action}${wait ?? ''}`,
    waitForTaskToken,
  };
  if (resourceType === 'lambda' && action === 'invoke') return { ...base, service: 'lambda-invoke' };
  if (resourceType === 'events' && action === 'putEvents') return { ...base, service: 'events-put' };
  if (resourceType === 'states' && action === 'startExecution') return { ...base, service: 'sfn-start' };
  if (resourceType === 'dynamodb' && !waitForTaskToken && DYNAMODB_ITEM_ACTIONS[action])
    return { ...base, service: 'dynamodb', action: DYNAMODB_ITEM_ACTIONS[action] };
  return undefined;
}

export function unsupportedResourceMessage(arn: string): string {
  return `The local cloud does not support the Task resource ${arn} (supported: ${SUPPORTED_RESOURCES.join(', ')}).`;
}

function pascal(action: string): string {
  return action.charAt(0).toUpperCase() + action.slice(1);
}
