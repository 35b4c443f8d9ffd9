/**
 * The guide's own view of the curriculum: the concept pages a session's `concepts` ids link
 * to. The sessions themselves (titles, summaries, TODOs) come from their session.json only.
 */
/**
 * Concept id (as used in session.json `concepts`) → label and guide page. Ids not listed are
 * shown as a plain label, with dashes turned into spaces.
 */
export const CONCEPT_PAGES: Record<string, { label: string; link?: string }> = {
  lambda: { label: 'Lambda', link: '/concepts/lambda' },
  'lambda-context': { label: 'Lambda context', link: '/concepts/lambda#handlers' },
  'environment-variables': { label: 'environment variables', link: '/concepts/lambda#functions' },
  iam: { label: 'IAM', link: '/concepts/lambda#permissions-the-execution-role' },
  'http-api': { label: 'HTTP API', link: '/concepts/lambda#behind-an-http-api' },
  'api-gateway': { label: 'API Gateway', link: '/concepts/lambda#behind-an-http-api' },
  cors: { label: 'CORS', link: '/concepts/lambda#behind-an-http-api' },
  cloudformation: { label: 'CloudFormation', link: '/reference/local-cloud#cloudformation-the-stack-loader' },
  'aws-sdk-v3': { label: 'AWS SDK v3', link: '/concepts/dynamodb#reading-and-writing' },
  dynamodb: { label: 'DynamoDB', link: '/concepts/dynamodb' },
  'conditional-writes': { label: 'conditional writes', link: '/concepts/dynamodb#conditions' },
  eventbridge: { label: 'EventBridge', link: '/concepts/eventbridge' },
  'custom-event-bus': { label: 'custom event bus', link: '/concepts/eventbridge#buses' },
  putevents: { label: 'PutEvents', link: '/concepts/eventbridge#putting-events' },
  'event-pattern': { label: 'event patterns', link: '/concepts/eventbridge#event-patterns' },
  'fan-out': { label: 'fan-out', link: '/concepts/eventbridge' },
  idempotency: { label: 'idempotency', link: '/concepts/eventbridge#delivery-at-least-once' },
  schedule: { label: 'schedules', link: '/concepts/schedules' },
  schedules: { label: 'schedules', link: '/concepts/schedules' },
  'rate-expression': { label: 'rate()', link: '/concepts/schedules#rate' },
  'cron-expression': { label: 'cron()', link: '/concepts/schedules#cron' },
  'eventbridge-scheduler': {
    label: 'EventBridge Scheduler',
    link: '/concepts/schedules#eventbridge-scheduler',
  },
  'step-functions': { label: 'Step Functions', link: '/concepts/step-functions' },
  asl: { label: 'Amazon States Language', link: '/concepts/step-functions#a-state-machine' },
  'wait-state': { label: 'Wait state', link: '/concepts/step-functions#wait' },
  jsonata: { label: 'JSONata and variables', link: '/concepts/step-functions#jsonata-and-variables' },
  'virtual-clock': { label: 'virtual clock', link: '/concepts/virtual-clock' },
  'websocket-api': { label: 'WebSocket API', link: '/sessions/session-3#todo-4' },
  'dynamodb-streams': { label: 'DynamoDB Streams', link: '/sessions/session-3#todo-5' },
};
